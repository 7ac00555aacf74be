import Link from 'next/link';
import { TimeChart } from '@/components/charts/time-chart';
import { ExportLinks } from '@/components/export-links';
import { PageFrame } from '@/components/page-frame';
import { EmptyState, Panel } from '@/components/panel';
import { QueryFilters } from '@/components/query-filters';
import { QueryLogTable } from '@/components/query-log-table';
import { ReadOutcome, ReadPanel } from '@/components/read-outcome';
import { RowsShown } from '@/components/rows-shown';
import { latencyChart } from '@/lib/charts/call-charts';
import { formatCount } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';
import { filterParams, parseQueryLogFilters, withoutContentFilters } from '@/lib/request/query-log-filters';

export const dynamic = 'force-dynamic';

const NARROW_LOG = 'a shorter time range or fewer filters (a text filter reads every search in the range)';

export default async function QueriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { params, range } = context;
  const parsed = parseQueryLogFilters(params);
  const filters = context.seesContent ? parsed : withoutContentFilters(parsed);
  const [calls, log, tools, latency, highlights] = await Promise.all([
    read('callActivity'),
    read('queryLog', filters),
    read('queryTools'),
    read('searchLatency'),
    read('queryHighlights', filters),
  ]);
  const base = linkQuery(params);
  const hidden = Object.fromEntries(new URLSearchParams(base.slice(1)));
  const pythonFile = calls.ok && calls.data.pythonFile;
  return (
    <PageFrame page={page} title="Query logs" results={[calls, log, tools, latency, highlights]}>
      {pythonFile ? (
        <EmptyState>
          This telemetry file comes from the Python HydraMem, which keeps no query log: the query log needs the HydraMem writer.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <ReadPanel
            title="Search latency"
            id="search-latency"
            note={
              Object.keys(filterParams(filters)).length > 0
                ? 'every search in the range, whatever the filters (the rollups are not per user or query); gaps where there were none'
                : "percentiles per bucket from the writer's rollups; gaps where there were no searches"
            }
            result={latency}
          >
            {(points) => (
              <TimeChart
                title="Search latency percentiles"
                chart={latencyChart(points, range)}
                unit=" ms"
                empty="No searches in this range."
              />
            )}
          </ReadPanel>
          <Panel title="Log" id="query-log">
            <QueryFilters
              filters={filters}
              tools={tools.ok ? tools.data : []}
              hidden={hidden}
              resetHref={`/queries${base}`}
              contentFilters={context.seesContent}
            />
            <ReadOutcome result={log} narrow={NARROW_LOG}>
              {(logPage) => (
                <>
                  <p className="my-3 text-sm" data-testid="query-count" data-value={logPage.count}>
                    {logPage.countCapped ? `${formatCount(logPage.count)}+` : formatCount(logPage.count)} matching searches
                  </p>
                  <ExportLinks
                    dataset="query-log"
                    query={linkQuery(params, filterParams(filters))}
                    label="Export these searches"
                  />
                  <QueryLogTable
                    rows={logPage.rows}
                    timeZone={range.timeZone}
                    query={linkQuery(params, filterParams(filters))}
                    testId="query-log"
                    empty="No searches match these filters in this range."
                  />
                  <RowsShown
                    shown={logPage.rows.length}
                    total={logPage.count}
                    capped={logPage.countCapped}
                    dataset="query-log"
                    query={linkQuery(params, filterParams(filters))}
                    testId="query-log-shown"
                  />
                  {logPage.nextCursor && (
                    <Link
                      className="mt-2 inline-block text-sm text-teal-700 underline report:hidden dark:text-teal-400"
                      href={`/queries${linkQuery(params, { ...filterParams(filters), cursor: logPage.nextCursor })}`}
                    >
                      Next page →
                    </Link>
                  )}
                </>
              )}
            </ReadOutcome>
          </Panel>
          <ReadPanel title="Slowest searches" id="slowest" note="with the log's filters" result={highlights}>
            {(data) => (
              <QueryLogTable
                rows={data.slowest}
                timeZone={range.timeZone}
                query={base}
                testId="slowest"
                empty="No searches in this range."
              />
            )}
          </ReadPanel>
          <ReadPanel title="Searches that found nothing" id="zero-results" note="with the log's filters" result={highlights}>
            {(data) => (
              <QueryLogTable
                rows={data.zeroResults}
                timeZone={range.timeZone}
                query={base}
                testId="zero-results"
                empty="Every search in this range found something."
              />
            )}
          </ReadPanel>
        </div>
      )}
    </PageFrame>
  );
}
