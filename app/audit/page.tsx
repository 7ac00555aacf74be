import Link from 'next/link';
import { ExportLinks } from '@/components/export-links';
import { AuditFilterForm } from '@/components/audit-filters';
import { AuditTable } from '@/components/identity-tables';
import { PageFrame } from '@/components/page-frame';
import { EmptyState } from '@/components/panel';
import { ReadPanel } from '@/components/read-outcome';
import { formatCount } from '@/lib/format';
import { auditFilterParams, auditFilters } from '@/lib/request/audit-params';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

/** Who did what: every write and every use of a key, filtered by actor, action, result and time. Admins only. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams, { adminOnly: true });
  const { context } = page;
  const { params, range } = context;
  const filters = auditFilters(params);
  const audit = await page.read('auditLog', filters);
  const base = linkQuery(params);
  const hidden = Object.fromEntries(new URLSearchParams(base.slice(1)));
  return (
    <PageFrame page={page} title="Audit trail" results={[audit]}>
      <ReadPanel title="Audit trail" id="audit" result={audit} narrow="a shorter time range or an actor or action">
        {(data) =>
          data === null ? (
            <EmptyState>This telemetry file keeps no audit trail: it needs the HydraMem writer.</EmptyState>
          ) : (
            <>
              <AuditFilterForm
                filters={filters}
                actors={data.actors}
                actions={data.actions}
                hidden={hidden}
                resetHref={`/audit${base}`}
              />
              <p className="my-3 text-sm" data-testid="audit-count" data-value={data.count}>
                {data.countCapped ? `${formatCount(data.count)}+` : formatCount(data.count)} entries
              </p>
              <ExportLinks dataset="audit" query={linkQuery(params, auditFilterParams(filters))} label="Export these entries" />
              <AuditTable rows={data.rows} timeZone={range.timeZone} />
              {data.nextCursor && (
                <Link
                  className="mt-2 inline-block text-sm text-teal-700 underline report:hidden dark:text-teal-400"
                  href={`/audit${linkQuery(params, { ...auditFilterParams(filters), before: data.nextCursor })}`}
                >
                  Older entries →
                </Link>
              )}
            </>
          )
        }
      </ReadPanel>
    </PageFrame>
  );
}
