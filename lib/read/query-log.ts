import { containsPattern } from '../store/like';
import { hasTable } from '../store/open-readonly';
import { QUERY_LOG_DAY } from '../store/metrics-schema';
import type { ReadDB, ReadStatement } from '../store/read-db';
import { previousPage, type PreviousPage } from './paging';
import { TEXT_INDEX_LIKE, textPlan } from './query-text';
import { readModel } from './read-model';
import { sensitive, sensitiveOrNull, type Sensitive } from './sensitive';
import { tsBounds, windowDays, type TimeWindow } from './window';

export const QUERY_SORTS = ['time_desc', 'time_asc', 'latency_desc', 'latency_asc'] as const;
export type QuerySort = (typeof QUERY_SORTS)[number];
export const MAX_PAGE_SIZE = 1000;

/** The query log's filters, validated (lib/request reads them from the URL). */
export interface QueryLogFilters {
  tool: string | null;
  status: 'ok' | 'error' | null;
  minLatency: number | null;
  maxLatency: number | null;
  zeroResults: boolean;
  user: string | null;
  memory: string | null;
  session: string | null;
  text: string | null;
  sort: QuerySort;
  pageSize: number;
  cursor: { key: string; id: number } | null;
}

/** A query_log row as stored. */
export type StoredLogRow = {
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
};

/** A logged search: what was asked and by whom is sensitive; how it went is not. */
export type QueryLogRow = Omit<StoredLogRow, 'query' | 'user_id' | 'memory_id' | 'session_id'> & {
  query: Sensitive;
  user_id: Sensitive | null;
  memory_id: Sensitive | null;
  session_id: Sensitive | null;
};

export interface QueryLogPage {
  rows: QueryLogRow[];
  nextCursor: string | null;
  previous: PreviousPage;
  /** Matching rows in the range, counted up to COUNT_CAP. */
  count: number;
  countCapped: boolean;
}

export const COUNT_CAP = 10_000;

const ORDER: Record<QuerySort, { column: string; direction: 'ASC' | 'DESC' }> = {
  time_desc: { column: 'ts', direction: 'DESC' },
  time_asc: { column: 'ts', direction: 'ASC' },
  latency_desc: { column: 'latency_ms', direction: 'DESC' },
  latency_asc: { column: 'latency_ms', direction: 'ASC' },
};

export const QUERY_LOG_COLUMNS = [
  'id',
  'ts',
  'tool',
  'query',
  'user_id',
  'memory_id',
  'session_id',
  'result_count',
  'latency_ms',
  'tokens_injected',
  'tokens_baseline',
  'status',
  'error',
] as const;
const SELECT_COLUMNS = QUERY_LOG_COLUMNS.join(', ');

export function asLogRow(row: StoredLogRow): QueryLogRow {
  return {
    ...row,
    query: sensitive(row.query),
    user_id: sensitiveOrNull(row.user_id),
    memory_id: sensitiveOrNull(row.memory_id),
    session_id: sensitiveOrNull(row.session_id),
  };
}

/**
 * How a statement names query_log's columns: plainly; `+project`/`+ts` when rows come by id from
 * the text index (so no other index is chosen); `q.` beside that index in a join.
 */
type ColumnStyle = 'plain' | 'by-id' | 'joined';

function columnOf(style: ColumnStyle): (name: string) => string {
  if (style === 'joined') return (name) => `q.${name}`;
  if (style === 'by-id') return (name) => (name === 'project' || name === 'ts' ? `+${name}` : name);
  return (name) => name;
}

/** The WHERE clause and parameters of the filters (without the cursor). */
function filterWhere(
  project: string,
  window: TimeWindow,
  filters: QueryLogFilters,
  style: ColumnStyle = 'plain',
): { sql: string; params: Record<string, string | number> } {
  const { from, to } = tsBounds(window);
  const col = columnOf(style);
  // Sorted by latency, the (project, day, latency) index gives the order within a day; the time range is then a filter (+ts).
  const ts = style === 'plain' && filters.sort.startsWith('latency') ? '+ts' : col('ts');
  const where = [`${col('project')} = @project`, `${ts} >= @from`, `${ts} < @to`];
  const params: Record<string, string | number> = { project, from, to };
  const add = (condition: string, name?: string, value?: string | number | null): void => {
    if (value === null) return;
    where.push(condition);
    if (name !== undefined && value !== undefined) params[name] = value;
  };
  add(`${col('tool')} = @tool`, 'tool', filters.tool);
  add(`${col('status')} = @status`, 'status', filters.status);
  add(`${col('latency_ms')} >= @minLatency`, 'minLatency', filters.minLatency);
  add(`${col('latency_ms')} <= @maxLatency`, 'maxLatency', filters.maxLatency);
  if (filters.zeroResults) add(`${col('result_count')} = 0 AND ${col('status')} = 'ok'`);
  add(`${col('user_id')} = @user`, 'user', filters.user);
  add(`${col('memory_id')} = @memory`, 'memory', filters.memory);
  add(`${col('session_id')} = @session`, 'session', filters.session);
  add(`${col('query')} LIKE @text ESCAPE '\\'`, 'text', filters.text && containsPattern(filters.text));
  return { sql: where.join(' AND '), params };
}

/** The rows the text index holds for the text, as a condition on query_log's id. */
const BY_TEXT_INDEX = `id IN (SELECT rowid FROM query_log_text WHERE ${TEXT_INDEX_LIKE})`;

/**
 * The filters for a statement that reads query_log in its own order (a page, or a count of few
 * matches); `byId` when the rows come by id from the text index.
 */
function pageWhere(
  db: ReadDB,
  project: string,
  window: TimeWindow,
  filters: QueryLogFilters,
): { sql: string; params: Record<string, string | number>; byId: boolean } {
  const plan = filters.text ? textPlan(db, filters.text) : ({ kind: 'scan' } as const);
  if (plan.kind !== 'few') return { ...filterWhere(project, window, filters), byId: false };
  const { sql, params } = filterWhere(project, window, filters, 'by-id');
  return { sql: `${BY_TEXT_INDEX} AND ${sql}`, params: { ...params, match: plan.match }, byId: true };
}

function orderBy(column: string, descending: boolean): string {
  const direction = descending ? 'DESC' : 'ASC';
  return `${column} ${direction}, id ${direction}`;
}

/** The key a page's last row continues from ("key|id"), for the next page. */
export function logCursor(row: Pick<StoredLogRow, 'ts' | 'latency_ms' | 'id'>, sort: QuerySort): string {
  return `${ORDER[sort].column === 'ts' ? row.ts : row.latency_ms}|${row.id}`;
}

/**
 * Up to `limit` rows of the log in the filters' order, from the filters' cursor on: the page and
 * its export read the same rows, keyset-paginated so that every batch is a short read.
 */
export function queryLogRows(
  db: ReadDB,
  project: string,
  window: TimeWindow,
  filters: QueryLogFilters,
  limit: number,
  direction: 'on' | 'back' = 'on',
): StoredLogRow[] {
  if (!hasTable(db, 'query_log')) return [];
  const { sql, params, byId } = pageWhere(db, project, window, filters);
  const order = ORDER[filters.sort];
  const where = [sql];
  // Back: the cursor's own row and those before it in the sort, nearest first (for the page before).
  const back = direction === 'back';
  const descending = (order.direction === 'DESC') !== back;
  if (filters.cursor) {
    const op = order.direction === 'DESC' ? (back ? '>' : '<') : back ? '<' : '>';
    const idOp = back ? `${op}=` : op;
    where.push(`(${order.column} ${op} @cursorKey OR (${order.column} = @cursorKey AND id ${idOp} @cursorId))`);
    params.cursorKey = order.column === 'latency_ms' ? Number(filters.cursor.key) : filters.cursor.key;
    params.cursorId = filters.cursor.id;
  }
  const select = (condition: string) =>
    db.prepare<Record<string, string | number>, StoredLogRow>(
      `SELECT ${SELECT_COLUMNS} FROM query_log WHERE ${condition} ORDER BY ${orderBy(order.column, descending)} LIMIT @limit`,
    );
  if (order.column !== 'latency_ms' || byId) return select(where.join(' AND ')).all({ ...params, limit });
  return inLatencyOrderByDay(
    select(`${QUERY_LOG_DAY} = @day AND ${where.join(' AND ')}`),
    windowDays(window),
    { ...params, limit },
    descending,
  );
}

/**
 * The log by latency, read a day at a time from the (project, day, latency) index and merged.
 * That index, unlike one on (project, latency), takes each new row among today's: the writer's
 * inserts stay in a few pages however long the log grows (docs/performance.md).
 */
function inLatencyOrderByDay(
  statement: ReadStatement<[Record<string, string | number>], StoredLogRow>,
  days: string[],
  params: Record<string, string | number> & { limit: number },
  descending: boolean,
): StoredLogRow[] {
  const sign = descending ? -1 : 1;
  return days
    .flatMap((day) => statement.all({ ...params, day }))
    .sort((a, b) => sign * (a.latency_ms - b.latency_ms || a.id - b.id))
    .slice(0, params.limit);
}

function countMatching(db: ReadDB, project: string, window: TimeWindow, filters: QueryLogFilters): number {
  const plan = filters.text ? textPlan(db, filters.text) : null;
  const count = (sql: string, params: Record<string, string | number>): number =>
    db
      .prepare<Record<string, string | number>, { n: number }>(`SELECT COUNT(*) AS n FROM (${sql} LIMIT ${COUNT_CAP + 1})`)
      .get(params)?.n ?? 0;
  if (plan?.kind === 'many') {
    // The index's matches, newest first, each looked up by id: it stops at the cap, having read
    // no row the text is not in.
    const { sql, params } = filterWhere(project, window, filters, 'joined');
    return count(
      `SELECT 1 FROM query_log_text f CROSS JOIN query_log q ON q.id = f.rowid
       WHERE f.${TEXT_INDEX_LIKE} AND ${sql} ORDER BY f.rowid DESC`,
      { ...params, match: plan.match },
    );
  }
  const { sql, params } = pageWhere(db, project, window, filters);
  return count(`SELECT 1 FROM query_log WHERE ${sql}`, params);
}

/** One page of the query log for the project and window: filtered, sorted, keyset-paginated, counted up to a cap. */
export const queryLog = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, filters: QueryLogFilters): QueryLogPage {
    if (!hasTable(metrics.db, 'query_log')) return { rows: [], nextCursor: null, previous: null, count: 0, countCapped: false };
    const size = Math.max(1, Math.min(MAX_PAGE_SIZE, filters.pageSize));
    const rows = queryLogRows(metrics.db, scope.project, scope, filters, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const count = countMatching(metrics.db, scope.project, scope, filters);
    return {
      rows: page.map(asLogRow),
      nextCursor: rows.length > size && last ? logCursor(last, filters.sort) : null,
      previous: previousPage(
        filters.cursor ? queryLogRows(metrics.db, scope.project, scope, filters, size + 1, 'back') : [],
        size,
        (row) => logCursor(row, filters.sort),
      ),
      count: Math.min(count, COUNT_CAP),
      countCapped: count > COUNT_CAP,
    };
  },
});
