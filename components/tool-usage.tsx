import { toolUsageChart } from '@/lib/charts/call-charts';
import type { BucketLabels } from '@/lib/charts/time-series';
import { formatCount, formatMs } from '@/lib/format';
import type { ToolUsage as ToolUsageData } from '@/lib/read/tool-usage';
import { TimeChart } from './charts/time-chart';
import { Panel } from './panel';
import { TableHead } from './table-head';
import { TableScroll } from './table-scroll';
import { TermList } from './term-list';
import { TD } from './table-styles';

/** Calls per tool over time (stacked) and a per-tool table with latency percentiles. */
export function ToolUsage({ usage, labels }: { usage: ToolUsageData; labels: BucketLabels }) {
  return (
    <div className="mt-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Calls per tool" id="calls-per-tool">
        <TimeChart title="Calls per tool over time" chart={toolUsageChart(usage, labels)} />
      </Panel>
      <Panel title="Tools" id="tools">
        <TableScroll label="Tools">
          <table className="w-full text-sm" data-testid="tool-table">
            <TableHead labels={['Tool', 'Calls', 'Errors', 'p50', 'p95']} />
            <tbody>
              {usage.summaries.map((summary) => (
                <tr key={summary.tool} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={`${TD} break-all`}>{summary.tool}</td>
                  <td className={`${TD} tabular-nums`} data-value={summary.calls}>
                    {formatCount(summary.calls)}
                  </td>
                  <td className={`${TD} tabular-nums`}>{formatCount(summary.errors)}</td>
                  <td className={`${TD} tabular-nums`}>{formatMs(summary.p50)}</td>
                  <td className={`${TD} tabular-nums`}>{formatMs(summary.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <TermList
          terms={[
            ['p50', 'p50'],
            ['p95', 'p95'],
          ]}
        />
      </Panel>
    </div>
  );
}
