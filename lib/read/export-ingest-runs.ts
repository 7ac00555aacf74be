import { batchOf, type ExportArgs, type ExportBatch } from './export-batch';
import { ingestRunRows, type IngestRunStatus } from './ingest-runs';
import { readModel } from './read-model';

/** The ingest runs with the page's status filter, newest first, a batch at a time. */
export const exportIngestRuns = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, args: ExportArgs<{ status: IngestRunStatus | null }>): ExportBatch {
    const match = args.cursor ? /^(.+)\|(\d+)$/.exec(args.cursor) : null;
    const before = match?.[1] && match[2] ? { ts: match[1], id: Number(match[2]) } : null;
    const rows = ingestRunRows(metrics.db, scope.project, scope, { status: args.filters.status, before, limit: args.limit + 1 });
    return batchOf(
      rows,
      args.limit,
      (row) => row,
      (row) => `${row.ts}|${row.id}`,
    );
  },
});
