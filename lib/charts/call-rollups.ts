import { emptyHistogram, histogramQuantile, mergeHistograms, parseHistogram } from '../store/latency-bins';
import { parseTimestamp } from '../store/time';
import type { TimeRange } from '../queries/range';
import { groupByBucket } from './buckets';

/** One row of call_rollup_hourly as the dashboard reads it. */
export interface CallRollupRow {
  hour: string;
  tool: string;
  calls: number;
  errors: number;
  searches: number;
  zero_results: number;
  latency_hist: string;
  tokens_injected: number;
  tokens_baseline: number;
}

export interface CallTotals {
  calls: number;
  searches: number;
  errors: number;
  zeroResults: number;
  tokensInjected: number;
  tokensBaseline: number;
  tokensSaved: number;
  errorRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
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
    mergeHistograms(hist, parseHistogram(row.latency_hist));
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

export function rowsIn(rows: readonly CallRollupRow[], range: Pick<TimeRange, 'from' | 'to'>): CallRollupRow[] {
  const from = range.from.getTime() - 3_599_999; // an hour bucket that overlaps the start counts
  const to = range.to.getTime();
  return rows.filter((row) => {
    const at = parseTimestamp(row.hour);
    return at >= from && at < to;
  });
}

export interface CallPoint extends CallTotals {
  start: number;
}

/** Per-bucket totals for charts and sparklines; every bucket of the range is present. */
export function callSeries(rows: readonly CallRollupRow[], range: TimeRange): CallPoint[] {
  return groupByBucket(
    rows,
    (row) => parseTimestamp(row.hour),
    range,
    (group, start) => ({ start, ...totalCalls(group) }),
  );
}

export interface ToolSummary {
  tool: string;
  calls: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

/** Per-tool totals, busiest first. */
export function toolSummaries(rows: readonly CallRollupRow[]): ToolSummary[] {
  const byTool = new Map<string, CallRollupRow[]>();
  for (const row of rows) {
    const group = byTool.get(row.tool);
    if (group) group.push(row);
    else byTool.set(row.tool, [row]);
  }
  return [...byTool.entries()]
    .map(([tool, group]) => {
      const totals = totalCalls(group);
      return { tool, calls: totals.calls, errors: totals.errors, p50: totals.p50, p95: totals.p95 };
    })
    .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
}

/** Calls per bucket split by tool (the busiest `top` tools, the rest as "other"), for a stacked chart. */
export function callsByToolSeries(
  rows: readonly CallRollupRow[],
  range: TimeRange,
  top = 5,
): { tools: string[]; points: Array<Record<string, number>> } {
  const ranked = toolSummaries(rows).map((summary) => summary.tool);
  const shown = ranked.slice(0, top);
  const tools = ranked.length > top ? [...shown, 'other'] : shown;
  const points = groupByBucket(
    rows,
    (row) => parseTimestamp(row.hour),
    range,
    (group, start) => {
      const point: Record<string, number> = { start };
      for (const tool of tools) point[tool] = 0;
      for (const row of group) {
        const key = shown.includes(row.tool) ? row.tool : 'other';
        point[key] = (point[key] ?? 0) + row.calls;
      }
      return point;
    },
  );
  return { tools, points };
}
