import { redactLogRow, REDACTED, allowedFilters, seesContent } from '../auth/redaction';
import type { Role } from '../auth/roles';
import { graphDbPath, metricsDbPath, readInt, type Env, type HydraConfig } from '../config';
import type { Cell } from '../exports/csv';
import type { ExportSource } from '../exports/export-stream';
import { hasTable, openStoreReadOnly } from '../store/open-readonly';
import type { DB } from '../store/open-writer';
import { INGEST_RUN_STATUSES } from './ingest-runs';
import { QUERY_LOG_COLUMNS, queryLogOrder, queryLogWhere, type QueryLogRow } from './query-log';
import { parseQueryLogFilters } from './query-log-filters';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

export const EXPORT_DATASETS = ['query-log', 'ingest-runs', 'entities'] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** Rows an export may hold (DASHBOARD_EXPORT_MAX_ROWS); a bigger one ends with a truncation marker. */
export function exportCap(env: Env = process.env): number {
  return readInt(env, 'DASHBOARD_EXPORT_MAX_ROWS', 100_000, 1, 1_000_000);
}

export interface ExportRequest {
  project: string;
  range: TimeRange;
  params: Record<string, string>;
  role: Role;
}

type Row = Record<string, Cell>;

const INGEST_COLUMNS = [
  'id',
  'ts',
  'path',
  'status',
  'change',
  'reason',
  'chunks_added',
  'chunks_removed',
  'entities_added',
  'relations_added',
  'duration_ms',
  'source',
];
const ENTITY_COLUMNS = ['id', 'name', 'type', 'created_at', 'updated_at'];

function* mapRows<T, U>(rows: Iterable<T>, map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

function queryLogRows(db: DB, request: ExportRequest): Iterator<Row> {
  if (!hasTable(db, 'query_log')) return [][Symbol.iterator]();
  // The page's filters, sort included; filters on hidden values are dropped for support.
  const filters = allowedFilters({ ...parseQueryLogFilters(request.params), cursor: null }, request.role);
  const { sql, params } = queryLogWhere(request.project, request.range, filters);
  const rows = db
    .prepare<Record<string, string | number>, QueryLogRow>(
      `SELECT ${QUERY_LOG_COLUMNS} FROM query_log WHERE ${sql} ORDER BY ${queryLogOrder(filters)}`,
    )
    .iterate(params);
  return mapRows(rows, (row) => ({ ...redactLogRow(row, request.role) }) as unknown as Row);
}

function ingestRunRows(db: DB, request: ExportRequest): Iterator<Row> {
  if (!hasTable(db, 'ingest_runs')) return [][Symbol.iterator]();
  const status = INGEST_RUN_STATUSES.find((value) => value === request.params.status) ?? null;
  const { from, to } = tsBounds(request.range);
  return db
    .prepare<{ project: string; from: string; to: string; status: string | null }, Row>(
      `SELECT ${INGEST_COLUMNS.join(', ')} FROM ingest_runs WHERE project = @project AND ts >= @from AND ts < @to
         AND (@status IS NULL OR status = @status) ORDER BY ts DESC, id DESC`,
    )
    .iterate({ project: request.project, from, to, status });
}

function entityRows(db: DB, request: ExportRequest): Iterator<Row> {
  const type = request.params.type?.trim() || null;
  const rows = db
    .prepare<{ project: string; type: string | null }, Row>(
      `SELECT ${ENTITY_COLUMNS.join(', ')} FROM entities WHERE project = @project AND (@type IS NULL OR type = @type) ORDER BY type, name, id`,
    )
    .iterate({ project: request.project, type });
  return seesContent(request.role) ? rows : mapRows(rows, (row) => ({ ...row, name: REDACTED }));
}

const DATASETS: Record<
  ExportDataset,
  { store: 'metrics' | 'graph'; columns: readonly string[]; rows: (db: DB, request: ExportRequest) => Iterator<Row> }
> = {
  'query-log': { store: 'metrics', columns: QUERY_LOG_COLUMNS.split(', '), rows: queryLogRows },
  'ingest-runs': { store: 'metrics', columns: INGEST_COLUMNS, rows: ingestRunRows },
  entities: { store: 'graph', columns: ENTITY_COLUMNS, rows: entityRows },
};

/**
 * Opens the store a dataset lives in, read-only, and iterates its rows for the export; the
 * connection stays open while the client reads and is closed by the stream.
 */
export function exportSource(dataset: ExportDataset, config: HydraConfig, request: ExportRequest): ExportSource {
  const { store: name, columns, rows } = DATASETS[dataset];
  const store = openStoreReadOnly(name, name === 'graph' ? graphDbPath(config) : metricsDbPath(config));
  try {
    return { columns, rows: rows(store.db, request), close: () => store.db.close() };
  } catch (error) {
    store.db.close();
    throw error;
  }
}
