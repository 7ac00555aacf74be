import { EntitySearch, GraphCharts, GraphTotals, HubsAndOrphans } from '@/components/graph-sections';
import { ExportLinks } from '@/components/export-links';
import { PageShell } from '@/components/page-shell';
import { EmptyState } from '@/components/panel';
import { StoreProblem } from '@/components/store-problem';
import { requireViewer } from '@/lib/auth/current-viewer';
import { redactGraphSnapshot, seesContent } from '@/lib/auth/redaction';
import { formatInstant } from '@/lib/format';
import { searchEntities } from '@/lib/queries/entity-search';
import { graphSnapshot, type GraphSnapshot } from '@/lib/queries/graph-snapshot';
import { ingestActivity } from '@/lib/queries/ingest-activity';
import { linkQuery, pageContext, type SearchParams } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';
import { parseTimestamp } from '@/lib/store/time';

export const dynamic = 'force-dynamic';

export default async function GraphPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = pageContext(await searchParams, await requireViewer());
  const { project, range, params } = context;
  const { role } = context.viewer;
  // Support cannot search by name: the answers would spell out names one guess at a time.
  const text = seesContent(role) ? (params.q ?? '').slice(0, 200) : '';
  const redactSnapshot = (snapshot: GraphSnapshot | null) => snapshot && redactGraphSnapshot(snapshot, role);
  const data = readOrProblem(context.config, (stores) =>
    stores.graph
      ? {
          snapshot: redactSnapshot(graphSnapshot(stores.graph.db, project)),
          growth: ingestActivity(stores.metrics.db, project, range)?.series ?? null,
          search: text ? searchEntities(stores.graph.db, project, text) : null,
        }
      : null,
  );
  const query = linkQuery(params);
  const hidden = Object.fromEntries(new URLSearchParams(query.slice(1)));
  return (
    <PageShell context={context} current="/graph" title="Graph statistics">
      {data instanceof StoreError ? (
        <StoreProblem error={data} />
      ) : data === null ? (
        <EmptyState>
          There is no graph.db in this data directory: graph statistics need the HydraMem writer (`hydramem serve`).
        </EmptyState>
      ) : data.snapshot === null ? (
        <EmptyState>
          No graph statistics yet: ingest notes with <code>hydramem ingest PATH</code>; the writer computes them after each
          change.
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="snapshot-age">
            Snapshot computed by the writer at {formatInstant(parseTimestamp(data.snapshot.computedAt), range.timeZone, true)} (
            {range.timeZone}).
          </p>
          <GraphTotals stats={data.snapshot.stats} />
          <ExportLinks dataset="entities" query={query} label="Export the entity list" />
          {seesContent(role) && !context.report && (
            <EntitySearch text={text} result={data.search} query={query} hidden={hidden} />
          )}
          <GraphCharts snapshot={data.snapshot} growth={data.growth} range={range} />
          <HubsAndOrphans stats={data.snapshot.stats} query={query} />
        </div>
      )}
    </PageShell>
  );
}
