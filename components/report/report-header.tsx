import { formatInstant } from '@/lib/format';
import { describeRange } from '@/lib/report/describe-range';
import type { ReadResult } from '@/lib/request/read-result';
import type { RequestContext } from '@/lib/request/request-context';
import { parseTimestamp } from '@/lib/store/time';
import { APP_VERSION } from '@/lib/version';

/**
 * What a reader of a report needs to trust the picture: whose data, which window, in which time
 * zone, how fresh, and from which release. The data attributes feed `hydramem report`'s manifest
 * and the footer of its printed pages.
 */
export function ReportHeader({
  context,
  asOf,
  title,
}: {
  context: RequestContext;
  asOf: ReadResult<string | null> | null;
  title: string;
}) {
  const { tenant, project, range } = context;
  const newest = asOf?.ok && asOf.data !== null ? new Date(parseTimestamp(asOf.data)) : null;
  const facts: Array<[string, string]> = [
    ['Tenant', tenant],
    ['Project', project],
    ['Time range', describeRange(range)],
    ['Time zone', range.timeZone],
    ['Data as of', newest ? formatInstant(newest, range.timeZone, true) : 'no events in this range'],
    ['Version', `HydraMem ${APP_VERSION}`],
  ];
  return (
    <header
      className="border-b-2 border-teal-700 pb-3"
      data-testid="report-header"
      data-title={title}
      data-range={describeRange(range)}
      data-tenant={tenant}
      data-project={project}
      data-from={range.from.toISOString()}
      data-to={range.to.toISOString()}
      data-preset={range.preset}
      data-time-zone={range.timeZone}
      data-as-of={newest?.toISOString() ?? ''}
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
