import Link from 'next/link';
import { TimeLines } from '@/components/charts/time-lines';
import { ExportLinks } from '@/components/export-links';
import { PageShell } from '@/components/page-shell';
import { EmptyState, Panel } from '@/components/panel';
import { QueryFilters } from '@/components/query-filters';
import { QueryLogTable } from '@/components/query-log-table';
import { StoreProblem } from '@/components/store-problem';
import { requireViewer } from '@/lib/auth/current-viewer';
import { allowedFilters, redactHighlights, redactLogPage, seesContent } from '@/lib/auth/redaction';
import { formatBucketLabel, formatCount } from '@/lib/format';
import { linkQuery, pageContext, type SearchParams } from '@/lib/queries/page-context';
import { queryHighlights, searchLatencySeries } from '@/lib/queries/query-highlights';
import { queryLog, queryTools } from '@/lib/queries/query-log';
import { filterParams, parseQueryLogFilters } from '@/lib/queries/query-log-filters';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';

export const dynamic = 'force-dynamic';

export default async function QueriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = pageContext(await searchParams, await requireViewer());
  const { project, range, params } = context;
  const { role } = context.viewer;
  const filters = allowedFilters(parseQueryLogFilters(params), role);
  const data = readOrProblem(context.config, (stores) => ({
    page: redactLogPage(queryLog(stores.metrics.db, project, range, filters), role),
    tools: queryTools(stores.metrics.db, project),
    latency: searchLatencySeries(stores.metrics.db, project, range),
    highlights: redactHighlights(queryHighlights(stores.metrics.db, project, range), role),
    pythonFile: stores.metrics.pythonCompatible,
  }));
  const base = linkQuery(params);
  const hidden = Object.fromEntries(new URLSearchParams(base.slice(1)));
  const latencyRows =
    data instanceof StoreError
      ? []
      : data.latency.map((point) => ({
          label: formatBucketLabel(point.start, range.bucket, range.timeZone),
          p50: point.p50 === null ? null : Number(point.p50.toFixed(2)),
          p95: point.p95 === null ? null : Number(point.p95.toFixed(2)),
          p99: point.p99 === null ? null : Number(point.p99.toFixed(2)),
        }));
  return (
    <PageShell context={context} current="/queries" title="Query logs">
      {data instanceof StoreError ? (
        <StoreProblem error={data} />
      ) : data.pythonFile ? (
        <EmptyState>
          This telemetry file comes from the Python HydraMem, which keeps no query log: the query log needs the HydraMem writer.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <Panel
            title="Search latency"
            id="search-latency"
            note="percentiles per bucket from the writer's rollups; gaps where there were no searches"
          >
            <TimeLines
              title="Search latency percentiles"
              data={latencyRows}
              unit=" ms"
              series={[
                { key: 'p50', label: 'p50', color: '#0f766e' },
                { key: 'p95', label: 'p95', color: '#a16207' },
                { key: 'p99', label: 'p99', color: '#be123c' },
              ]}
            />
          </Panel>
          <Panel title="Log" id="query-log">
            <QueryFilters
              filters={filters}
              tools={data.tools}
              hidden={hidden}
              resetHref={`/queries${base}`}
              contentFilters={seesContent(role)}
            />
            <p className="my-3 text-sm" data-testid="query-count" data-value={data.page.count}>
              {data.page.countCapped ? `${formatCount(data.page.count)}+` : formatCount(data.page.count)} matching searches
            </p>
            <ExportLinks dataset="query-log" query={linkQuery(params, filterParams(filters))} label="Export these searches" />
            <QueryLogTable
              rows={data.page.rows}
              timeZone={range.timeZone}
              query={base}
              testId="query-log"
              empty="No searches match these filters in this range."
            />
            {data.page.nextCursor && (
              <Link
                href={`/queries${linkQuery(params, { ...filterParams(filters), cursor: data.page.nextCursor })}`}
                className="mt-2 inline-block text-sm text-teal-700 underline report:hidden dark:text-teal-400"
              >
                Next page →
              </Link>
            )}
          </Panel>
          <div className="space-y-4">
            <Panel title="Slowest searches" id="slowest">
              <QueryLogTable
                rows={data.highlights.slowest}
                timeZone={range.timeZone}
                query={base}
                testId="slowest"
                empty="No searches in this range."
              />
            </Panel>
            <Panel title="Searches that found nothing" id="zero-results">
              <QueryLogTable
                rows={data.highlights.zeroResults}
                timeZone={range.timeZone}
                query={base}
                testId="zero-results"
                empty="Every search in this range found something."
              />
            </Panel>
          </div>
        </div>
      )}
    </PageShell>
  );
}
