import { formatBucketLabel, formatCount, formatMs } from '@/lib/format';
import type { Overview } from '@/lib/queries/overview';
import type { TimeRange } from '@/lib/queries/range';
import { TimeBars } from './charts/time-bars';
import { Panel } from './panel';

const COLORS = ['#0f766e', '#7c3aed', '#0369a1', '#a16207', '#be123c', '#64748b'];

/** Calls per tool over time (stacked) and a per-tool table with latency percentiles. */
export function ToolUsage({ tools, range }: { tools: Overview['tools']; range: TimeRange }) {
  const data = tools.byBucket.points.map((point) => ({
    ...point,
    label: formatBucketLabel(point.start ?? 0, range.bucket, range.timeZone),
  }));
  return (
    <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Calls per tool" id="calls-per-tool">
        <TimeBars
          title="Calls per tool over time"
          data={data}
          series={tools.byBucket.tools.map((tool, index) => ({
            key: tool,
            label: tool,
            color: COLORS[index % COLORS.length] ?? '#64748b',
            stack: 'calls',
          }))}
        />
      </Panel>
      <Panel title="Tools" id="tools">
        <table className="w-full text-sm" data-testid="tool-table">
          <thead>
            <tr className="text-left text-slate-600 dark:text-slate-400">
              <th className="px-2 py-1 font-medium">Tool</th>
              <th className="px-2 py-1 font-medium">Calls</th>
              <th className="px-2 py-1 font-medium">Errors</th>
              <th className="px-2 py-1 font-medium">p50</th>
              <th className="px-2 py-1 font-medium">p95</th>
            </tr>
          </thead>
          <tbody>
            {tools.summaries.map((summary) => (
              <tr key={summary.tool} className="border-t border-slate-100 dark:border-slate-800">
                <td className="px-2 py-1">{summary.tool}</td>
                <td className="px-2 py-1 tabular-nums" data-value={summary.calls}>
                  {formatCount(summary.calls)}
                </td>
                <td className="px-2 py-1 tabular-nums">{formatCount(summary.errors)}</td>
                <td className="px-2 py-1 tabular-nums">{formatMs(summary.p50)}</td>
                <td className="px-2 py-1 tabular-nums">{formatMs(summary.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
