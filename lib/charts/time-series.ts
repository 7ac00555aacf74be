import { formatBucketLabel } from '../format';
import type { SeriesColour } from './palette';
import type { Bucket } from './time-buckets';

/** One series of a chart over time: which field of the rows, its name, colour, and how it is drawn. */
export interface TimeSeries {
  key: string;
  label: string;
  colour: SeriesColour;
  kind: 'bar' | 'line';
  /** Bars with the same stack id are stacked. */
  stack?: string;
}

/** A chart row: the bucket's label and start (ms), and a value per series (null is a gap, not zero). */
export type TimeRow = { label: string; start: number } & Record<string, number | string | null>;

/** What a time chart draws: its rows and its series. */
export interface TimeChartData {
  rows: TimeRow[];
  series: TimeSeries[];
}

/** The time zone and bucket size that decide how buckets are labelled. */
export interface BucketLabels {
  bucket: Bucket;
  timeZone: string;
}

/** Rounds a value for a chart (two decimals), keeping gaps as gaps. */
export function chartValue(value: number | null): number | null {
  return value === null ? null : Number(value.toFixed(2));
}

/**
 * The rows a time chart draws: one per bucket, labelled in the viewer's time zone, with the values
 * `pick` takes from each point.
 */
export function timeRows<Point extends { start: number }>(
  points: readonly Point[],
  labels: BucketLabels,
  pick: (point: Point) => Record<string, number | null>,
): TimeRow[] {
  return points.map((point) => ({
    label: formatBucketLabel(point.start, labels.bucket, labels.timeZone),
    start: point.start,
    ...pick(point),
  }));
}

/**
 * Whether a chart has anything to draw: a line value somewhere, or a bar above zero. A chart of
 * nothing but gaps and zero bars says "no data" instead of showing empty axes.
 */
export function hasChartData(chart: TimeChartData): boolean {
  return chart.rows.some((row) =>
    chart.series.some((series) => {
      const value = row[series.key];
      return typeof value === 'number' && (series.kind === 'line' || value !== 0);
    }),
  );
}

/**
 * The span from the start of one bucket to the end of another (either order), for drag-to-zoom:
 * a bucket ends where the next starts; the last one is as long as the one before it.
 */
export function bucketSpan(
  rows: readonly Pick<TimeRow, 'start'>[],
  first: number,
  last: number,
): { from: number; to: number } | null {
  const [low, high] = first <= last ? [first, last] : [last, first];
  const start = rows[low]?.start;
  const end = rows[high]?.start;
  if (start === undefined || end === undefined) return null;
  const next = rows[high + 1]?.start;
  const previous = rows[high - 1]?.start;
  const length = next !== undefined ? next - end : previous !== undefined ? end - previous : 3_600_000;
  return { from: start, to: end + length };
}
