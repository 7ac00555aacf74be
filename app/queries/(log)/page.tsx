import { TimeChart } from '@/components/charts/time-chart';
import { ExportLinks } from '@/components/export-links';
import { PageFrame } from '@/components/page-frame';
import { EmptyState, Panel } from '@/components/panel';
import { QueryFilters } from '@/components/query-filters';
import { QueryLogTable } from '@/components/query-log-table';
import { TermList } from '@/components/term-list';
import { TablePager } from '@/components/pager';
import { ReadOutcome, ReadPanel } from '@/components/read-outcome';
import { RowsShown } from '@/components/rows-shown';
import { latencyChart } from '@/lib/charts/call-charts';
import { formatCount } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';
import { pagePosition, pagerLinks } from '@/lib/request/paging';
import { filterParams, parseQueryLogFilters, withoutContentFilters } from '@/lib/request/query-log-filters';

export const dynamic = 'force-dynamic';

/** The two highlight tables under the log: the same searches, picked two ways. */
const HIGHLIGHTS = [
  { title: 'Slowest searches', id: 'slowest', rows: 'slowest', empty: 'No searches in this range.' },
  {
    title: 'Searches that found nothing',
    id: 'zero-results',
    rows: 'zeroResults',
    empty: 'Every search in this range found something.',
  },
] as const;

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
  const position = pagePosition(params.at, params.cursor);
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
              <>
                <TimeChart
                  title="Search latency percentiles"
                  chart={latencyChart(points, range)}
                  unit=" ms"
                  empty="No searches in this range."
                />
                <TermList
                  terms={[
                    ['p50', 'p50'],
                    ['p95', 'p95'],
                    ['p99', 'p99'],
                  ]}
                />
              </>
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
                    sorting={{
                      sort: filters.sort,
                      href: (sort) =>
                        `/queries${linkQuery(params, { ...filterParams(filters), sort: sort === 'time_desc' ? null : sort })}#query-log`,
                    }}
                  />
                  <TablePager
                    testId="query-log-pager"
                    position={position}
                    shown={logPage.rows.length}
                    total={{ count: logPage.count, capped: logPage.countCapped }}
                    links={pagerLinks(
                      'cursor',
                      position,
                      filters.pageSize,
                      logPage.rows.length,
                      logPage.previous,
                      logPage.nextCursor,
                    )}
                    href={(changes) => `/queries${linkQuery(params, { ...filterParams(filters), ...changes })}`}
                  />
                  <RowsShown
                    shown={logPage.rows.length}
                    total={logPage.count}
                    capped={logPage.countCapped}
                    dataset="query-log"
                    query={linkQuery(params, filterParams(filters))}
                    testId="query-log-shown"
                    reportOnly
                  />
                </>
              )}
            </ReadOutcome>
          </Panel>
          {HIGHLIGHTS.map((panel) => (
            <ReadPanel key={panel.id} title={panel.title} id={panel.id} note="with the log's filters" result={highlights}>
              {(data) => (
                <QueryLogTable
                  rows={data[panel.rows]}
                  timeZone={range.timeZone}
                  query={base}
                  testId={panel.id}
                  empty={panel.empty}
                />
              )}
            </ReadPanel>
          ))}
        </div>
      )}
    </PageFrame>
  );
}
