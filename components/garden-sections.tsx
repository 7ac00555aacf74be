import { gardenCharts } from '@/lib/charts/garden-charts';
import type { BucketLabels } from '@/lib/charts/time-series';
import { formatCount, formatInstant, formatMs } from '@/lib/format';
import type { FederationEntry } from '@/lib/read/federation-history';
import type { GardenBucket, GardenHistory } from '@/lib/read/garden-history';
import { parseTimestamp } from '@/lib/store/time';
import { TimeChart } from './charts/time-chart';
import { StatusBadge } from './ingest-tables';
import { EmptyState, Panel } from './panel';
import { TableHead } from './table-head';
import { TD } from './table-styles';
import { TableScroll } from './table-scroll';
import { TermList } from './term-list';

const when = (ts: string, timeZone: string): string => formatInstant(parseTimestamp(ts), timeZone, true);

/** The latest run at a glance: in progress or how it ended, and the last error. */
export function GardenStatus({ history, timeZone }: { history: GardenHistory; timeZone: string }) {
  const { latest, lastFailure } = history;
  if (!latest) {
    return (
      <EmptyState>
        The Night Gardener has not run for this project yet: it runs nightly while <code>hydramem serve</code> serves
        (HYDRAMEM_GARDEN_SCHEDULE), or once with <code>hydramem garden</code>.
      </EmptyState>
    );
  }
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="garden-status">
      <div className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <dt className="text-slate-600 dark:text-slate-400">Latest run</dt>
        <dd className="font-semibold" data-testid="garden-latest-status" data-value={latest.status}>
          {latest.status === 'running' ? 'in progress' : <StatusBadge status={latest.status} />}
        </dd>
        <dd className="text-xs text-slate-500 dark:text-slate-400">
          {when(latest.started_at, timeZone)} · {latest.trigger}
        </dd>
      </div>
      <div className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <dt className="text-slate-600 dark:text-slate-400">Duration</dt>
        <dd className="text-xl font-semibold tabular-nums">{formatMs(latest.duration_ms)}</dd>
      </div>
      <div className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <dt className="text-slate-600 dark:text-slate-400">Work done</dt>
        <dd className="tabular-nums" data-testid="garden-latest-counters">
          {formatCount(latest.entities_merged)} merged · {formatCount(latest.orphans_pruned)} pruned ·{' '}
          {formatCount(latest.relations_decayed)} decayed · {formatCount(latest.entities_boosted)} boosted
        </dd>
      </div>
      <div className="rounded border border-slate-200 p-3 dark:border-slate-800">
        <dt className="text-slate-600 dark:text-slate-400">Last error</dt>
        <dd className="break-words" data-testid="garden-last-error">
          {lastFailure ? (
            <>
              <span className="text-rose-700 dark:text-rose-400">{lastFailure.error ?? 'failed'}</span>
              <span className="block text-xs text-slate-500 dark:text-slate-400">{when(lastFailure.started_at, timeZone)}</span>
            </>
          ) : (
            'none'
          )}
        </dd>
      </div>
    </dl>
  );
}

export function GardenCharts({ buckets, labels }: { buckets: GardenBucket[]; labels: BucketLabels }) {
  // Empty axes say nothing: without runs in the range the runs table says so instead.
  if (buckets.length === 0) return null;
  const charts = gardenCharts(buckets, labels);
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Runs by status" id="garden-runs-chart">
        <TimeChart title="Night Gardener runs by status" chart={charts.runs} />
      </Panel>
      <Panel title="Work done" id="garden-work-chart" note="stacked: each bar is one bucket's total">
        <TimeChart title="Entities merged, orphans pruned, relations decayed, entities boosted" chart={charts.work} />
        <TermList
          terms={[
            ['Merged', 'merged'],
            ['Pruned', 'pruned'],
            ['Decayed', 'decayed'],
            ['Boosted', 'boosted'],
          ]}
        />
      </Panel>
      <Panel title="Duration" id="garden-duration-chart" note="the longest finished run per bucket; gaps where none finished">
        <TimeChart title="Longest Night Gardener run" chart={charts.duration} unit=" ms" />
      </Panel>
    </div>
  );
}

export function GardenRunsTable({ history, timeZone }: { history: GardenHistory; timeZone: string }) {
  if (history.runs.length === 0) return <EmptyState>No runs started in this range.</EmptyState>;
  return (
    <TableScroll label="Night Gardener runs">
      <table className="w-full min-w-[44rem] text-sm" data-testid="garden-runs">
        <TableHead labels={['Started', 'Trigger', 'Status', 'Duration', 'Merged', 'Pruned', 'Decayed', 'Boosted', 'Error']} />
        <tbody>
          {history.runs.map((run) => (
            <tr key={run.id} className="border-t border-slate-100 dark:border-slate-800">
              <td className={TD}>{when(run.started_at, timeZone)}</td>
              <td className={TD}>{run.trigger}</td>
              <td className={TD}>
                <StatusBadge status={run.status} />
              </td>
              <td className={`${TD} tabular-nums`}>{formatMs(run.duration_ms)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(run.entities_merged)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(run.orphans_pruned)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(run.relations_decayed)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(run.entities_boosted)}</td>
              <td className={`${TD} max-w-xs break-words`}>{run.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.truncated && (
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Showing the newest {history.runs.length} runs.</p>
      )}
    </TableScroll>
  );
}

export function FederationTable({ entries, timeZone }: { entries: FederationEntry[]; timeZone: string }) {
  if (entries.length === 0) {
    return (
      <EmptyState>
        No exports or imports yet: <code>hydramem export OUT --issuer NAME</code> and{' '}
        <code>hydramem import IN --accept-issuer NAME</code>.
      </EmptyState>
    );
  }
  return (
    <TableScroll label="Federation imports and exports">
      <table className="w-full min-w-[44rem] text-sm" data-testid="federation-history">
        <TableHead labels={['Time', 'Direction', 'Issuer', 'Status', 'Entities', 'Relations', 'Chunks', 'Reason', 'File']} />
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-slate-100 dark:border-slate-800">
              <td className={TD}>{when(entry.ts, timeZone)}</td>
              <td className={TD}>{entry.direction}</td>
              <td className={TD}>{entry.issuer ?? '–'}</td>
              <td className={TD}>
                <StatusBadge status={entry.status} />
              </td>
              <td className={`${TD} tabular-nums`}>{formatCount(entry.entities)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(entry.relations)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(entry.chunks)}</td>
              <td className={`${TD} max-w-xs break-words`}>{entry.reason ?? ''}</td>
              <td className={`${TD} max-w-xs break-all`}>{entry.file ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
