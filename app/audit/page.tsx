import { ExportLinks } from '@/components/export-links';
import { AuditFilterForm } from '@/components/audit-filters';
import { AuditTable } from '@/components/identity-tables';
import { PageFrame } from '@/components/page-frame';
import { TablePager } from '@/components/pager';
import { EmptyState } from '@/components/panel';
import { ReadPanel } from '@/components/read-outcome';
import { formatCount } from '@/lib/format';
import { auditFilterParams, auditFilters } from '@/lib/request/audit-params';
import { timeColumnSort, timeOrderParams } from '@/lib/request/sort-param';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { pagePosition, pagerLinks } from '@/lib/request/paging';
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
  const position = pagePosition(params.at, params.before);
  // The filter form keeps the order; changing a filter starts again at the top.
  const hidden = Object.fromEntries(new URLSearchParams(linkQuery(params, timeOrderParams(filters.order)).slice(1)));
  const sort = timeColumnSort(filters.order);
  const listHref = (changes: Record<string, string | null>): string =>
    `/audit${linkQuery(params, { ...auditFilterParams(filters), ...changes })}`;
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
              <AuditTable
                rows={data.rows}
                timeZone={range.timeZone}
                sort={{ direction: sort.direction, href: listHref({ sort: sort.other, before: null, at: null }) }}
              />
              <TablePager
                testId="audit-pager"
                position={position}
                shown={data.rows.length}
                total={{ count: data.count, capped: data.countCapped }}
                links={pagerLinks('before', position, filters.pageSize, data.rows.length, data.previous, data.nextCursor)}
                href={listHref}
              />
            </>
          )
        }
      </ReadPanel>
    </PageFrame>
  );
}
