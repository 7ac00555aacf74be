import { ExportLinks } from '@/components/export-links';
import { EntitySearch, GraphCharts, GraphTotals, HubsAndOrphans } from '@/components/graph-sections';
import { PageFrame } from '@/components/page-frame';
import { EmptyState } from '@/components/panel';
import { ReadOutcome } from '@/components/read-outcome';
import { UserFilterForm } from '@/components/user-filter-form';
import { formatCount, formatInstant } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';
import { userFilter } from '@/lib/request/user-filter';
import { parseTimestamp } from '@/lib/store/time';

export const dynamic = 'force-dynamic';

const onlySet = (values: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null));

export default async function GraphPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { params, range } = context;
  // Support cannot search by name: the answers would spell out names one guess at a time.
  const text = context.seesContent && !context.report ? (params.q ?? '').slice(0, 200) : '';
  const scopeFilter = userFilter(params, context.seesContent);
  const [snapshot, ingest, growth, search, visible] = await Promise.all([
    read('graphSnapshot'),
    read('ingestActivity'),
    read('graphGrowth'),
    text ? read('entitySearch', { text, ...scopeFilter }) : null,
    scopeFilter.user ? read('graphTotals', scopeFilter) : null,
  ]);
  // A Python HydraMem data directory (telemetry without our rollups) has no graph.db: expected there.
  const pythonDir =
    ingest.ok && ingest.data === null && !snapshot.ok && snapshot.kind === 'store' && snapshot.problem.problem === 'missing';
  const query = linkQuery(params);
  const hidden = Object.fromEntries(new URLSearchParams(query.slice(1)));
  return (
    <PageFrame
      page={page}
      title="Graph statistics"
      results={pythonDir ? [] : [snapshot, ingest, growth, ...(search ? [search] : []), ...(visible ? [visible] : [])]}
    >
      {pythonDir ? (
        <EmptyState>
          There is no graph.db in this data directory: graph statistics need the HydraMem writer (`hydramem serve`).
        </EmptyState>
      ) : (
        <ReadOutcome result={snapshot}>
          {(data) =>
            data === null ? (
              <EmptyState>
                No graph statistics yet: ingest notes with <code>hydramem ingest PATH</code>; the writer computes them after each
                change.
              </EmptyState>
            ) : (
              <div className="space-y-4">
                <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="snapshot-age">
                  Snapshot computed by the writer at {formatInstant(parseTimestamp(data.computedAt), range.timeZone, true)} (
                  {range.timeZone}).
                </p>
                <GraphTotals stats={data.stats} atStart={growth.ok ? growth.data.atStart : undefined} />
                <ExportLinks dataset="entities" query={query} label="Export the entity list" />
                {context.seesContent && !context.report && (
                  <>
                    <UserFilterForm
                      action="/graph"
                      filter={scopeFilter}
                      hidden={hidden}
                      note="what this user sees: the shared notes and their memories (the entity search follows it)"
                    />
                    {visible && (
                      <ReadOutcome result={visible}>
                        {(counts) => (
                          <p className="text-sm" data-testid="visible-totals">
                            Visible to {scopeFilter.user}
                            {scopeFilter.memory ? ` (memory ${scopeFilter.memory})` : ''}: {formatCount(counts.documents)}{' '}
                            documents, {formatCount(counts.chunks)} chunks, {formatCount(counts.entities)} entities,{' '}
                            {formatCount(counts.relations)} relations.
                          </p>
                        )}
                      </ReadOutcome>
                    )}
                    <EntitySearch
                      text={text}
                      result={search}
                      query={linkQuery(params, scopeFilter)}
                      hidden={{ ...hidden, ...onlySet(scopeFilter) }}
                    />
                  </>
                )}
                <GraphCharts
                  snapshot={data}
                  growth={growth.ok ? { sizes: growth.data.series, starts: context.scope.buckets } : null}
                  labels={range}
                />
                <HubsAndOrphans stats={data.stats} query={query} />
              </div>
            )
          }
        </ReadOutcome>
      )}
    </PageFrame>
  );
}
