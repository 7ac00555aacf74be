import type { GardenBucket } from '../read/garden-history';
import { PALETTE } from './palette';
import { timeRows, type BucketLabels, type TimeChartData } from './time-series';

/** The gardener page's charts: runs by status, the work they did (stacked), the longest run. */
export function gardenCharts(
  buckets: readonly GardenBucket[],
  labels: BucketLabels,
): Record<'runs' | 'work' | 'duration', TimeChartData> {
  const rows = timeRows(buckets, labels, ({ start: _start, ...values }) => values);
  return {
    runs: {
      rows,
      series: (['ok', 'failed', 'running'] as const).map((key) => ({
        key,
        label: key,
        colour: PALETTE[key],
        kind: 'bar',
        stack: 'runs',
      })),
    },
    work: {
      rows,
      series: (['merged', 'pruned', 'decayed', 'boosted'] as const).map((key) => ({
        key,
        label: key,
        colour: PALETTE[key],
        kind: 'bar',
        stack: 'work',
      })),
    },
    duration: { rows, series: [{ key: 'maxDurationMs', label: 'longest run', colour: PALETTE.duration, kind: 'line' }] },
  };
}
