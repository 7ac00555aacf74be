import { addCounts, emptyCounts, type ChangeCounts } from '../store/change-counts';
import { parseTimestamp } from '../store/time';
import type { TimeRange } from '../queries/range';
import { groupByBucket } from './buckets';

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

export interface IngestPoint extends IngestTotals {
  start: number;
}

export function ingestSeries(rows: readonly IngestRollupRow[], range: TimeRange): IngestPoint[] {
  return groupByBucket(
    rows,
    (row) => parseTimestamp(row.hour),
    range,
    (group, start) => ({ start, ...totalIngest(group) }),
  );
}

export function ingestRowsIn(rows: readonly IngestRollupRow[], range: Pick<TimeRange, 'from' | 'to'>): IngestRollupRow[] {
  const from = range.from.getTime() - 3_599_999;
  const to = range.to.getTime();
  return rows.filter((row) => {
    const at = parseTimestamp(row.hour);
    return at >= from && at < to;
  });
}
