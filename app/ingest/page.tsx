import { ExportLinks } from '@/components/export-links';
import { IngestCharts } from '@/components/ingest-charts';
import { RecentRuns, SourcesTable } from '@/components/ingest-tables';
import { UserFilterForm } from '@/components/user-filter-form';
import { PageFrame } from '@/components/page-frame';
import { EmptyState } from '@/components/panel';
import { ReadOutcome, ReadPanel } from '@/components/read-outcome';
import { RowsShown } from '@/components/rows-shown';
import { formatCount } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { ingestRunArgs } from '@/lib/request/ingest-params';
import { timeColumnSort, timeOrderParams } from '@/lib/request/sort-param';
import { pagePosition } from '@/lib/request/paging';
import { linkQuery, type SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

export default async function IngestPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { params, range } = context;
  const runArgs = ingestRunArgs(params, context.seesContent);
  const [activity, runs, sources] = await Promise.all([
    read('ingestActivity'),
    read('ingestRuns', runArgs),
    read('ingestSources'),
  ]);
  // Filters, order and the cursor stay in the URL; changing the filter starts again at the top.
  const order = timeOrderParams(runArgs.order);
  const kept = { status: runArgs.status, user: runArgs.user, memory: runArgs.memory, sort: order.sort ?? null };
  const linkFor = (changes: Record<string, string | null>): string => `/ingest${linkQuery(params, { ...kept, ...changes })}`;
  const hidden = Object.fromEntries(new URLSearchParams(linkQuery(params, { status: runArgs.status, ...order }).slice(1)));
  return (
    <PageFrame page={page} title="Ingest activity" results={[activity, runs, sources]}>
      <ReadOutcome result={activity}>
        {(data) =>
          data === null ? (
            <EmptyState>
              This telemetry file comes from the Python HydraMem: ingest activity needs the HydraMem writer (`hydramem serve`).
            </EmptyState>
          ) : (
            <div className="space-y-4">
              <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="ingest-totals">
                {(
                  [
                    ['Files ok', data.current.ok],
                    ['Skipped', data.current.skipped],
                    ['Failed', data.current.failed],
                    ['Chunks added', data.current.chunksAdded],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label} className="rounded border border-slate-200 p-3 dark:border-slate-800">
                    <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                    <dd className="text-xl font-semibold tabular-nums" data-value={value}>
                      {formatCount(value)}
                    </dd>
                  </div>
                ))}
              </dl>
              {runArgs.user && (
                <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="filter-scope">
                  The totals and charts count every file in the range (the rollups are not per user); the user filter applies to
                  Recent runs.
                </p>
              )}
              <IngestCharts series={data.series} labels={range} />
              <ReadPanel title="Recent runs" id="recent-runs" result={runs} narrow="a shorter time range or one status">
                {(runPage) => (
                  <>
                    {context.seesContent && (
                      <UserFilterForm
                        action="/ingest"
                        filter={runArgs}
                        hidden={hidden}
                        note="runs made for this user (their memories); the shared notes' runs have no user"
                      />
                    )}
                    <ExportLinks
                      dataset="ingest-runs"
                      query={linkQuery(params, { ...kept, before: null, at: null })}
                      label="Export these runs"
                    />
                    <RecentRuns
                      page={runPage}
                      timeZone={range.timeZone}
                      linkFor={linkFor}
                      status={runArgs.status}
                      sort={timeColumnSort(runArgs.order)}
                      position={pagePosition(params.at, params.before)}
                      size={runArgs.limit}
                    />
                    <RowsShown
                      shown={runPage.runs.length}
                      total={runPage.count}
                      capped={runPage.countCapped}
                      dataset="ingest-runs"
                      query={linkQuery(params, { ...kept, before: null })}
                      testId="ingest-runs-shown"
                      reportOnly
                    />
                  </>
                )}
              </ReadPanel>
              <ReadPanel title="Sources" id="sources" note="each file's latest run, whatever the time range" result={sources}>
                {(data) => <SourcesTable rows={data.rows} truncated={data.truncated} timeZone={range.timeZone} />}
              </ReadPanel>
            </div>
          )
        }
      </ReadOutcome>
    </PageFrame>
  );
}
