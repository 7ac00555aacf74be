import type { LatencyPoint } from '../read/search-latency';
import type { ToolUsage } from '../read/tool-usage';
import { PALETTE, toolColour } from './palette';
import { chartValue, timeRows, type BucketLabels, type TimeChartData } from './time-series';

/** Calls per tool per bucket, stacked, the busiest tools first and the rest as "other". */
export function toolUsageChart(usage: ToolUsage, labels: BucketLabels): TimeChartData {
  return {
    rows: timeRows(usage.points, labels, (point) => point.calls),
    series: usage.tools.map((tool, rank) => ({
      key: tool,
      label: tool,
      colour: toolColour(tool, rank),
      kind: 'bar',
      stack: 'calls',
    })),
  };
}

/** Search latency percentiles per bucket in ms, rounded; gaps where there were no searches. */
export function latencyChart(points: readonly LatencyPoint[], labels: BucketLabels): TimeChartData {
  return {
    rows: timeRows(points, labels, (point) => ({
      p50: chartValue(point.p50),
      p95: chartValue(point.p95),
      p99: chartValue(point.p99),
    })),
    series: (['p50', 'p95', 'p99'] as const).map((key) => ({ key, label: key, colour: PALETTE[key], kind: 'line' })),
  };
}
