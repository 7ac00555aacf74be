import { addCounts, emptyCounts, type ChangeCounts } from '../store/change-counts';
import { hourlySeries } from './buckets';

/** One row of ingest_rollup_hourly: one project's files of one status in one UTC hour. */
export interface IngestRollupRow {
  hour: string;
  status: 'ok' | 'skipped' | 'failed';
  files: number;
  chunks_added: number;
  chunks_removed: number;
  entities_added: number;
  entities_removed: number;
  relations_added: number;
  relations_removed: number;
  duration_sum_ms: number;
}

export interface IngestTotals extends ChangeCounts {
  ok: number;
  skipped: number;
  failed: number;
  durationMs: number;
}

export interface IngestPoint extends IngestTotals {
  start: number;
}

export function totalIngest(rows: readonly IngestRollupRow[]): IngestTotals {
  const totals: IngestTotals = { ok: 0, skipped: 0, failed: 0, durationMs: 0, ...emptyCounts() };
  for (const row of rows) {
    totals[row.status] += row.files;
    totals.durationMs += row.duration_sum_ms;
    addCounts(totals, {
      chunksAdded: row.chunks_added,
      chunksRemoved: row.chunks_removed,
      entitiesAdded: row.entities_added,
      entitiesRemoved: row.entities_removed,
      relationsAdded: row.relations_added,
      relationsRemoved: row.relations_removed,
    });
  }
  return totals;
}

export function ingestSeries(rows: readonly IngestRollupRow[], buckets: readonly number[]): IngestPoint[] {
  return hourlySeries(rows, buckets, totalIngest);
}
