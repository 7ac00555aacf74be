/**
 * Latency histogram bins shared by the writer (which fills them in rollups) and the dashboard
 * (which reads percentiles from them). Upper bounds in milliseconds; the last bin is open-ended.
 * Log-spaced so p50/p95/p99 stay within about 30% of the true value at any scale.
 */
export const LATENCY_BIN_UPPER_MS: readonly number[] = [
  1,
  2,
  3,
  5,
  7,
  10,
  15,
  20,
  30,
  50,
  70,
  100,
  150,
  200,
  300,
  500,
  700,
  1000,
  1500,
  2000,
  3000,
  5000,
  7000,
  10000,
  15000,
  30000,
  60000,
  Number.POSITIVE_INFINITY,
];

export function latencyBinIndex(latencyMs: number): number {
  const index = LATENCY_BIN_UPPER_MS.findIndex((upper) => latencyMs <= upper);
  return index === -1 ? LATENCY_BIN_UPPER_MS.length - 1 : index;
}

export function emptyHistogram(): number[] {
  return LATENCY_BIN_UPPER_MS.map(() => 0);
}

/** Parses a stored histogram, tolerating a shorter array from an older writer. */
export function parseHistogram(json: string | null): number[] {
  const counts = emptyHistogram();
  if (!json) return counts;
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed)) {
      parsed.forEach((value, index) => {
        if (index < counts.length && typeof value === 'number' && Number.isFinite(value)) counts[index] = value;
      });
    }
  } catch {
    // A damaged histogram counts as empty rather than breaking a chart.
  }
  return counts;
}

export function mergeHistograms(target: number[], source: readonly number[]): number[] {
  source.forEach((count, index) => {
    if (index < target.length) target[index] = (target[index] ?? 0) + count;
  });
  return target;
}

/**
 * The q-quantile (0..1) of a histogram, interpolated linearly inside the bin that holds it.
 * Returns null for an empty histogram: no data is not zero latency.
 */
export function histogramQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : (LATENCY_BIN_UPPER_MS[index - 1] ?? 0);
      const upperBound = LATENCY_BIN_UPPER_MS[index] ?? lower;
      const upper = Number.isFinite(upperBound) ? upperBound : lower * 2;
      const fraction = (rank - seen) / count;
      return lower + (upper - lower) * Math.min(1, Math.max(0, fraction));
    }
    seen += count;
  }
  return LATENCY_BIN_UPPER_MS[LATENCY_BIN_UPPER_MS.length - 2] ?? null;
}
