import type { Cell } from '../exports/csv';
import { exportStream, type ExportFormat, type ExportPull } from '../exports/export-stream';
import { AUDIT_COLUMNS } from '../read/audit-log';
import { ENTITY_EXPORT_COLUMNS } from '../read/export-entities';
import { auditFilters } from './audit-params';
import { INGEST_RUN_COLUMNS } from '../read/ingest-runs';
import { ingestRunArgs } from './ingest-params';
import { QUERY_LOG_COLUMNS } from '../read/query-log';
import { dashboardSettings } from './dashboard-settings';
import { parseQueryLogFilters, withoutContentFilters } from './query-log-filters';
import type { ReadFailure, ReadResult } from './read-result';
import type { RouteRequest } from './dashboard-route';

export const EXPORT_DATASETS = ['query-log', 'ingest-runs', 'entities', 'audit'] as const;
/** Datasets only administrators may export (the gate refuses support first; this is the second lock). */
const ADMIN_DATASETS: readonly ExportDataset[] = ['audit'];
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** Rows read per batch: an export never holds more in memory, and each batch is a short read. */
const BATCH_ROWS = 500;

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

type Batch = ReadResult<{ rows: Array<Record<string, Cell>>; next: string | null }>;

/** Each dataset: its columns and how to read its next batch with the page's filters. */
function datasetReader(
  dataset: ExportDataset,
  route: RouteRequest,
): { columns: readonly string[]; batch(cursor: string | null): Promise<Batch> } {
  const { context, read } = route;
  const { params } = context;
  switch (dataset) {
    case 'query-log': {
      // The page's filters and sort; filters on hidden values are dropped for support.
      const parsed = parseQueryLogFilters(params);
      const { cursor: _cursor, pageSize: _size, ...filters } = context.seesContent ? parsed : withoutContentFilters(parsed);
      return { columns: QUERY_LOG_COLUMNS, batch: (cursor) => read('exportQueryLog', { filters, cursor, limit: BATCH_ROWS }) };
    }
    case 'ingest-runs': {
      const { status, user, memory, order } = ingestRunArgs(params, context.seesContent);
      return {
        columns: INGEST_RUN_COLUMNS,
        batch: (cursor) => read('exportIngestRuns', { filters: { status, user, memory, order }, cursor, limit: BATCH_ROWS }),
      };
    }
    case 'audit': {
      const { before: _before, pageSize: _size, ...filters } = auditFilters(params);
      return { columns: AUDIT_COLUMNS, batch: (cursor) => read('exportAudit', { filters, cursor, limit: BATCH_ROWS }) };
    }
    case 'entities': {
      const type = params.type?.trim() || null;
      return {
        columns: ENTITY_EXPORT_COLUMNS,
        batch: (cursor) => read('exportEntities', { filters: { type }, cursor, limit: BATCH_ROWS }),
      };
    }
  }
}

function failureText(failure: ReadFailure): string {
  return failure.kind === 'store'
    ? failure.problem.message
    : `reading took longer than ${failure.budgetMs} ms (DASHBOARD_QUERY_BUDGET_MS); narrow the range or the filters`;
}

/**
 * An export of a dataset with the page's filters, as CSV or JSON, streamed one batch per read.
 * A problem before the first row is an error response; one after it ends the file with a marker.
 */
export async function exportResponse(route: RouteRequest, dataset: ExportDataset): Promise<Response> {
  const { context } = route;
  if (ADMIN_DATASETS.includes(dataset) && !context.seesContent)
    return Response.json({ error: 'for administrators only' }, { status: 403, headers: { 'cache-control': 'no-store' } });
  if (context.notes.length > 0) return Response.json({ error: context.notes.join('; ') }, { status: 400 });
  const format: ExportFormat = context.params.format === 'json' ? 'json' : 'csv';
  const reader = datasetReader(dataset, route);
  const first = await reader.batch(null);
  if (!first.ok) {
    const body =
      first.kind === 'store' ? { error: first.problem.message, hint: first.problem.hint } : { error: failureText(first) };
    return Response.json(body, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
  let pending: Batch | null = first;
  let cursor: string | null = null;
  const pull = async (): Promise<ExportPull> => {
    const batch: Batch = pending ?? (await reader.batch(cursor));
    pending = null;
    if (!batch.ok) return { failed: failureText(batch) };
    cursor = batch.data.next;
    return { rows: batch.data.rows, done: cursor === null };
  };
  const { range, project } = context;
  const meta = { dataset, project, from: range.from.toISOString(), to: range.to.toISOString() };
  return new Response(exportStream({ columns: reader.columns, pull }, format, dashboardSettings().exportMaxRows, meta), {
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="hydramem-${project}-${dataset}-${range.to.toISOString().slice(0, 10)}.${format}"`,
      'cache-control': 'no-store',
    },
  });
}
