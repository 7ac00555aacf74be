import { hasTable } from '../store/open-readonly';
import { asLogRow, queryLogRows, type QueryLogFilters, type QueryLogRow } from './query-log';
import { readModel } from './read-model';

const HIGHLIGHTS = 10;

export interface QueryHighlights {
  slowest: QueryLogRow[];
  zeroResults: QueryLogRow[];
}

/** The slowest searches and the most recent ones that found nothing, in the window, with the log's filters. */
export const queryHighlights = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, filters: QueryLogFilters): QueryHighlights {
    if (!hasTable(metrics.db, 'query_log')) return { slowest: [], zeroResults: [] };
    const base: QueryLogFilters = { ...filters, cursor: null, pageSize: HIGHLIGHTS };
    const rows = (wanted: QueryLogFilters) => queryLogRows(metrics.db, scope.project, scope, wanted, HIGHLIGHTS).map(asLogRow);
    return {
      slowest: rows({ ...base, sort: 'latency_desc' }),
      zeroResults: rows({ ...base, sort: 'time_desc', zeroResults: true }),
    };
  },
});
