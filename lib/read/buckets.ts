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
