import { emptyHistogram, histogramQuantile, mergeHistograms, parseHistogram } from '../store/latency-bins';
import type { CallRollupRow } from '../store/sql/call-rollups';
import { hourlySeries } from './buckets';

export interface CallTotals {
  calls: number;
  searches: number;
  errors: number;
  zeroResults: number;
  tokensInjected: number;
  tokensBaseline: number;
  /** max(0, Σ baseline − Σ injected), as the Python HydraMem computes it. */
  tokensSaved: number;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface CallPoint extends CallTotals {
  start: number;
}

// A read sums the same rows more than once (the window's total, each bucket's): parse each histogram once.
const parsedHistograms = new WeakMap<CallRollupRow, number[]>();
function histogramOf(row: CallRollupRow): number[] {
  let hist = parsedHistograms.get(row);
  if (!hist) {
    hist = parseHistogram(row.latency_hist);
    parsedHistograms.set(row, hist);
  }
  return hist;
}

/** Sums rollup rows; percentiles from the merged histogram; ratios null where there is nothing to divide. */
export function totalCalls(rows: readonly CallRollupRow[]): CallTotals {
  const hist = emptyHistogram();
  const totals = { calls: 0, searches: 0, errors: 0, zeroResults: 0, tokensInjected: 0, tokensBaseline: 0 };
  for (const row of rows) {
    totals.calls += row.calls;
    totals.searches += row.searches;
    totals.errors += row.errors;
    totals.zeroResults += row.zero_results;
    totals.tokensInjected += row.tokens_injected;
    totals.tokensBaseline += row.tokens_baseline;
    mergeHistograms(hist, histogramOf(row));
  }
  return {
    ...totals,
    tokensSaved: Math.max(0, totals.tokensBaseline - totals.tokensInjected),
    errorRate: totals.calls > 0 ? totals.errors / totals.calls : null,
    p50: histogramQuantile(hist, 0.5),
    p95: histogramQuantile(hist, 0.95),
    p99: histogramQuantile(hist, 0.99),
  };
}

/** Totals per chart bucket; every bucket is present (zero calls, null percentiles where there were none). */
export function callSeries(rows: readonly CallRollupRow[], buckets: readonly number[]): CallPoint[] {
  return hourlySeries(rows, buckets, totalCalls);
}
