import { batchOf, type ExportArgs, type ExportBatch } from './export-batch';
import { asLogRow, logCursor, queryLogRows, type QueryLogFilters } from './query-log';
import { readModel } from './read-model';

/** The query log with the page's filters and sort, a batch at a time. */
export const exportQueryLog = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, args: ExportArgs<Omit<QueryLogFilters, 'cursor' | 'pageSize'>>): ExportBatch {
    const match = args.cursor ? /^(.+)\|(\d+)$/.exec(args.cursor) : null;
    const cursor = match?.[1] && match[2] ? { key: match[1], id: Number(match[2]) } : null;
    const filters: QueryLogFilters = { ...args.filters, cursor, pageSize: args.limit };
    const rows = queryLogRows(metrics.db, scope.project, scope, filters, args.limit + 1);
    return batchOf(rows, args.limit, asLogRow, (row) => logCursor(row, filters.sort));
  },
});
