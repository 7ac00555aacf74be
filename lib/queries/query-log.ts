import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';
import type { QueryLogFilters } from './query-log-filters';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

export interface QueryLogRow {
  id: number;
  ts: string;
  tool: string;
  query: string;
  user_id: string | null;
  memory_id: string | null;
  session_id: string | null;
  result_count: number;
  latency_ms: number;
  tokens_injected: number;
  tokens_baseline: number;
  status: 'ok' | 'error';
  error: string | null;
}

export interface QueryLogPage {
  rows: QueryLogRow[];
  nextCursor: string | null;
  /** Matching rows in the range, counted up to COUNT_CAP. */
  count: number;
  countCapped: boolean;
}

export const COUNT_CAP = 10_000;

const ORDER: Record<QueryLogFilters['sort'], { column: string; direction: 'ASC' | 'DESC' }> = {
  time_desc: { column: 'ts', direction: 'DESC' },
  time_asc: { column: 'ts', direction: 'ASC' },
  latency_desc: { column: 'latency_ms', direction: 'DESC' },
};

export const QUERY_LOG_COLUMNS =
  'id, ts, tool, query, user_id, memory_id, session_id, result_count, latency_ms, tokens_injected, tokens_baseline, status, error';

/** The WHERE clause and parameters of the query log's filters (shared by the page and the export). */
export function queryLogWhere(
  project: string,
  range: TimeRange,
  filters: QueryLogFilters,
): { sql: string; params: Record<string, string | number> } {
  const { from, to } = tsBounds(range);
  // Sorted by latency, the (project, latency) index gives the order; the time range is then a filter (+ts).
  const tsColumn = filters.sort === 'latency_desc' ? '+ts' : 'ts';
  const where = ['project = @project', `${tsColumn} >= @from`, `${tsColumn} < @to`];
  const params: Record<string, string | number> = { project, from, to };
  const add = (condition: string, name?: string, value?: string | number | null): void => {
    if (value === null) return;
    where.push(condition);
    if (name !== undefined && value !== undefined) params[name] = value;
  };
  add('tool = @tool', 'tool', filters.tool);
  add('status = @status', 'status', filters.status);
  add('latency_ms >= @minLatency', 'minLatency', filters.minLatency);
  add('latency_ms <= @maxLatency', 'maxLatency', filters.maxLatency);
  if (filters.zeroResults) add("result_count = 0 AND status = 'ok'");
  add('user_id = @user', 'user', filters.user);
  add('session_id = @session', 'session', filters.session);
  add("query LIKE @text ESCAPE '\\'", 'text', filters.text && `%${filters.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: where.join(' AND '), params };
}

export function queryLogOrder(filters: QueryLogFilters): string {
  const order = ORDER[filters.sort];
  return `${order.column} ${order.direction}, id ${order.direction}`;
}

/** One page of the query log for a project and range, filtered, sorted, keyset-paginated. */
export function queryLog(db: DB, project: string, range: TimeRange, filters: QueryLogFilters): QueryLogPage {
  if (!hasTable(db, 'query_log')) return { rows: [], nextCursor: null, count: 0, countCapped: false };
  const { sql: filterSql, params } = queryLogWhere(project, range, filters);
  const order = ORDER[filters.sort];
  const pageWhere = [filterSql];
  if (filters.cursor) {
    const op = order.direction === 'DESC' ? '<' : '>';
    pageWhere.push(`(${order.column} ${op} @cursorKey OR (${order.column} = @cursorKey AND id ${op} @cursorId))`);
    params.cursorKey = order.column === 'latency_ms' ? Number(filters.cursor.key) : filters.cursor.key;
    params.cursorId = filters.cursor.id;
  }
  const rows = db
    .prepare<Record<string, string | number>, QueryLogRow>(
      `SELECT ${QUERY_LOG_COLUMNS} FROM query_log WHERE ${pageWhere.join(' AND ')} ORDER BY ${queryLogOrder(filters)} LIMIT @limit`,
    )
    .all({ ...params, limit: filters.pageSize + 1 });
  const page = rows.slice(0, filters.pageSize);
  const last = page[page.length - 1];
  const count =
    db
      .prepare<Record<string, string | number>, { n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM query_log WHERE ${filterSql} LIMIT ${COUNT_CAP + 1})`,
      )
      .get(params)?.n ?? 0;
  return {
    rows: page,
    nextCursor: rows.length > filters.pageSize && last ? `${order.column === 'ts' ? last.ts : last.latency_ms}|${last.id}` : null,
    count: Math.min(count, COUNT_CAP),
    countCapped: count > COUNT_CAP,
  };
}

/** The tools that searched, for the filter menu (a handful). */
export function queryTools(db: DB, project: string): string[] {
  if (!hasTable(db, 'query_log')) return [];
  // The rollups name every tool that searched, in a few rows instead of the whole log.
  const source = hasTable(db, 'call_rollup_hourly')
    ? 'SELECT DISTINCT tool FROM call_rollup_hourly WHERE project = ? AND searches > 0 ORDER BY tool LIMIT 50'
    : 'SELECT DISTINCT tool FROM query_log WHERE project = ? ORDER BY tool LIMIT 50';
  return db
    .prepare<[string], { tool: string }>(source)
    .all(project)
    .map((row) => row.tool);
}
