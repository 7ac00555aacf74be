import { callSeries, type CallPoint, type CallRollupRow } from '../charts/call-rollups';
import { SEARCH_TOOLS } from '../store/search-tools';
import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';
import { hourBucket } from '../store/time';
import { QUERY_LOG_COLUMNS, type QueryLogRow } from './query-log';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

const HIGHLIGHTS = 10;

/** Search latency percentiles per bucket, from the rollups of the search tools only. */
export function searchLatencySeries(db: DB, project: string, range: TimeRange): CallPoint[] {
  if (!hasTable(db, 'call_rollup_hourly')) return [];
  const tools = [...SEARCH_TOOLS];
  const rows = db
    .prepare<unknown[], CallRollupRow>(
      `SELECT hour, tool, calls, errors, searches, zero_results, latency_hist, tokens_injected, tokens_baseline FROM call_rollup_hourly
       WHERE project = ? AND hour >= ? AND hour < ? AND tool IN (${tools.map(() => '?').join(',')})`,
    )
    .all(project, hourBucket(range.from), tsBounds(range).to, ...tools);
  return callSeries(rows, range);
}

/** The slowest searches and the most recent ones that found nothing, in the range. */
export function queryHighlights(
  db: DB,
  project: string,
  range: TimeRange,
): { slowest: QueryLogRow[]; zeroResults: QueryLogRow[] } {
  if (!hasTable(db, 'query_log')) return { slowest: [], zeroResults: [] };
  const { from, to } = tsBounds(range);
  return {
    slowest: db
      .prepare<[string, string, string, number], QueryLogRow>(
        // +ts: walk the (project, latency) index from the slowest down instead of sorting the whole range.
        `SELECT ${QUERY_LOG_COLUMNS} FROM query_log WHERE project = ? AND +ts >= ? AND +ts < ? ORDER BY latency_ms DESC, id DESC LIMIT ?`,
      )
      .all(project, from, to, HIGHLIGHTS),
    zeroResults: db
      .prepare<[string, string, string, number], QueryLogRow>(
        `SELECT ${QUERY_LOG_COLUMNS} FROM query_log WHERE project = ? AND ts >= ? AND ts < ? AND result_count = 0 AND status = 'ok'
         ORDER BY ts DESC, id DESC LIMIT ?`,
      )
      .all(project, from, to, HIGHLIGHTS),
  };
}
