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

export interface IngestTotals {
  ok: number;
  skipped: number;
  failed: number;
  chunksAdded: number;
  chunksRemoved: number;
  entitiesAdded: number;
  entitiesRemoved: number;
  relationsAdded: number;
  relationsRemoved: number;
  durationMs: number;
}

export function totalIngest(rows: readonly IngestRollupRow[]): IngestTotals {
  const totals: IngestTotals = {
    ok: 0,
    skipped: 0,
    failed: 0,
    chunksAdded: 0,
    chunksRemoved: 0,
    entitiesAdded: 0,
    entitiesRemoved: 0,
    relationsAdded: 0,
    relationsRemoved: 0,
    durationMs: 0,
  };
  for (const row of rows) {
    totals[row.status] += row.files;
    totals.chunksAdded += row.chunks_added;
    totals.chunksRemoved += row.chunks_removed;
    totals.entitiesAdded += row.entities_added;
    totals.entitiesRemoved += row.entities_removed;
    totals.relationsAdded += row.relations_added;
    totals.relationsRemoved += row.relations_removed;
    totals.durationMs += row.duration_sum_ms;
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
