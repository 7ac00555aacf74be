import { callRollups, type CallRollupRow } from '../store/sql/call-rollups';
import { parseTimestamp } from '../store/time';
import { groupIntoBuckets, hourlyRowsIn } from './buckets';
import { totalCalls } from './call-totals';
import { readModel } from './read-model';
import { hourBounds } from './window';

export interface ToolSummary {
  tool: string;
  calls: number;
  errors: number;
  p50: number | null;
  p95: number | null;
}

export interface ToolUsage {
  /** Per tool, busiest first. */
  summaries: ToolSummary[];
  /** The series of the stacked chart: the busiest tools, then "other" for the rest. */
  tools: string[];
  /** Calls per chart bucket and series. */
  points: Array<{ start: number; calls: Record<string, number> }>;
}

/** How many tools the stacked chart shows before it folds the rest into "other". */
export const TOP_TOOLS = 5;

function summaries(rows: readonly CallRollupRow[]): ToolSummary[] {
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

/** Calls per tool in the window: a table of every tool and a per-bucket split of the busiest. */
export const toolUsage = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): ToolUsage {
    const { from, to } = hourBounds(scope);
    const rows = hourlyRowsIn(callRollups(metrics.db, scope.project, from, to), scope);
    const ranked = summaries(rows);
    const shown = ranked.slice(0, TOP_TOOLS).map((summary) => summary.tool);
    const tools = ranked.length > TOP_TOOLS ? [...shown, 'other'] : shown;
    const points = groupIntoBuckets(
      rows,
      (row) => parseTimestamp(row.hour),
      scope.buckets,
      (group, start) => {
        const calls: Record<string, number> = Object.fromEntries(tools.map((tool) => [tool, 0]));
        for (const row of group) {
          const key = shown.includes(row.tool) ? row.tool : 'other';
          calls[key] = (calls[key] ?? 0) + row.calls;
        }
        return { start, calls };
      },
    );
    return { summaries: ranked, tools, points };
  },
});
