import { parseTimestamp } from '../store/time';
import { hourInWindow, type TimeWindow } from './window';

/**
 * Rows into the chart buckets the request path chose (their start instants, oldest first). A row
 * belongs to the last bucket that starts at or before it; every bucket is present in the result.
 */
export function groupIntoBuckets<Row, Out>(
  rows: readonly Row[],
  at: (row: Row) => number,
  starts: readonly number[],
  combine: (rows: Row[], start: number) => Out,
): Out[] {
  const groups: Row[][] = starts.map(() => []);
  for (const row of rows) {
    const index = bucketIndex(starts, at(row));
    if (index >= 0) groups[index]?.push(row);
  }
  return starts.map((start, index) => combine(groups[index] ?? [], start));
}

/** The index of the bucket that holds `instant`, or -1 before the first (binary search). */
export function bucketIndex(starts: readonly number[], instant: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] ?? Infinity) <= instant) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Hourly rollup rows (of any rollup table) that belong to a window. */
export function hourlyRowsIn<Row extends { hour: string }>(rows: readonly Row[], window: TimeWindow): Row[] {
  return rows.filter((row) => hourInWindow(parseTimestamp(row.hour), window));
}

/** Hourly rollup rows summed per chart bucket by `total`; every bucket is present. */
export function hourlySeries<Row extends { hour: string }, Totals>(
  rows: readonly Row[],
  buckets: readonly number[],
  total: (rows: readonly Row[]) => Totals,
): Array<{ start: number } & Totals> {
  return groupIntoBuckets(
    rows,
    (row) => parseTimestamp(row.hour),
    buckets,
    (group, start) => ({ start, ...total(group) }),
  );
}
