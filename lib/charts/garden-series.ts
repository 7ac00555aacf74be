import { formatBucketLabel } from '../format';
import type { GardenRun } from '../queries/garden-runs';
import type { TimeRange } from '../queries/range';
import { parseTimestamp } from '../store/time';
import { groupByBucket } from './buckets';

// A type alias (not an interface) so rows fit the charts' Record<string, …> data prop.
export type GardenChartRow = {
  label: string;
  ok: number;
  failed: number;
  running: number;
  merged: number;
  pruned: number;
  decayed: number;
  boosted: number;
  /** The longest finished run of the bucket; a gap where none finished. */
  maxDurationMs: number | null;
};

/** Runs per bucket by status, the work they did, and how long the longest took (pure, unit-tested). */
export function gardenChartRows(
  runs: readonly GardenRun[],
  range: Pick<TimeRange, 'from' | 'to' | 'bucket' | 'timeZone'>,
): GardenChartRow[] {
  return groupByBucket(
    runs,
    (run) => parseTimestamp(run.started_at),
    range,
    (group, start) => {
      const finished = group.filter((run) => run.duration_ms !== null).map((run) => run.duration_ms as number);
      const sum = (pick: (run: GardenRun) => number): number => group.reduce((total, run) => total + pick(run), 0);
      return {
        label: formatBucketLabel(start, range.bucket, range.timeZone),
        ok: group.filter((run) => run.status === 'ok').length,
        failed: group.filter((run) => run.status === 'failed').length,
        running: group.filter((run) => run.status === 'running').length,
        merged: sum((run) => run.entities_merged),
        pruned: sum((run) => run.orphans_pruned),
        decayed: sum((run) => run.relations_decayed),
        boosted: sum((run) => run.entities_boosted),
        maxDurationMs: finished.length > 0 ? Math.max(...finished) : null,
      };
    },
  );
}
