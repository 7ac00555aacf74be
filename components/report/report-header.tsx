import { formatInstant } from '@/lib/format';
import { dataAsOf } from '@/lib/queries/data-as-of';
import type { PageContext } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { describeRange } from '@/lib/report/describe-range';
import { StoreError } from '@/lib/store/errors';
import { parseTimestamp } from '@/lib/store/time';
import { APP_VERSION } from '@/lib/version';

/**
 * What a reader of a report needs to trust the picture: whose data, which window, in which time
 * zone, how fresh, and from which release. The data attributes feed `hydramem report`'s manifest.
 */
export function ReportHeader({ context, title }: { context: PageContext; title: string }) {
  const { config, project, range } = context;
  const newest = readOrProblem(config, (stores) => dataAsOf(stores.metrics.db, project, range, stores.metrics.pythonCompatible));
  const asOf = newest instanceof StoreError || newest === null ? null : new Date(parseTimestamp(newest));
  const facts: Array<[string, string]> = [
    ['Tenant', config.tenant],
    ['Project', project],
    ['Time range', describeRange(range)],
    ['Time zone', range.timeZone],
    ['Data as of', asOf ? formatInstant(asOf, range.timeZone, true) : 'no events in this range'],
    ['Version', `HydraMem ${APP_VERSION}`],
  ];
  return (
    <header
      className="border-b-2 border-teal-700 pb-3"
      data-testid="report-header"
      data-tenant={config.tenant}
      data-project={project}
      data-from={range.from.toISOString()}
      data-to={range.to.toISOString()}
      data-preset={range.preset}
      data-time-zone={range.timeZone}
      data-as-of={asOf?.toISOString() ?? ''}
      data-version={APP_VERSION}
    >
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <span className="text-sm font-semibold text-teal-800">HydraMem</span>
      </div>
      <dl className="mt-2 grid grid-cols-[auto_1fr_auto_1fr] gap-x-4 gap-y-0.5 text-sm">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
