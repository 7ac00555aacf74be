import { hasTable } from '../store/open-readonly';
import { asLogRow, QUERY_LOG_COLUMNS, type QueryLogRow, type StoredLogRow } from './query-log';
import { readModel } from './read-model';
import { tsBounds } from './window';

const HIGHLIGHTS = 10;

export interface QueryHighlights {
  slowest: QueryLogRow[];
  zeroResults: QueryLogRow[];
}

/** The slowest searches and the most recent ones that found nothing, in the window. */
export const queryHighlights = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): QueryHighlights {
    if (!hasTable(metrics.db, 'query_log')) return { slowest: [], zeroResults: [] };
    const { from, to } = tsBounds(scope);
    const columns = QUERY_LOG_COLUMNS.join(', ');
    const rows = (sql: string) =>
      metrics.db
        .prepare<[string, string, string, number], StoredLogRow>(sql)
        .all(scope.project, from, to, HIGHLIGHTS)
        .map(asLogRow);
    return {
      // +ts: walk the (project, latency) index from the slowest down instead of sorting the whole range.
      slowest: rows(
        `SELECT ${columns} FROM query_log WHERE project = ? AND +ts >= ? AND +ts < ? ORDER BY latency_ms DESC, id DESC LIMIT ?`,
      ),
      zeroResults: rows(
        `SELECT ${columns} FROM query_log WHERE project = ? AND ts >= ? AND ts < ? AND result_count = 0 AND status = 'ok'
         ORDER BY ts DESC, id DESC LIMIT ?`,
      ),
    };
  },
});
