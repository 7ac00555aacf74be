import { batchOf, type ExportArgs, type ExportBatch } from './export-batch';
import { ingestRunRows, type IngestRunStatus } from './ingest-runs';
import { readModel } from './read-model';
import { formatTimeCursor, parseTimeCursor, type TimeOrder } from './time-cursor';

/** The ingest runs with the page's filters, in the page's order, a batch at a time. */
export const exportIngestRuns = readModel({
  needs: ['metrics'],
  read(
    { metrics },
    scope,
    args: ExportArgs<{ status: IngestRunStatus | null; user: string | null; memory: string | null; order: TimeOrder }>,
  ): ExportBatch {
    const before = parseTimeCursor(args.cursor);
    const rows = ingestRunRows(metrics.db, scope.project, scope, { ...args.filters, before, limit: args.limit + 1 });
    return batchOf(rows, args.limit, (row) => row, formatTimeCursor);
  },
});
