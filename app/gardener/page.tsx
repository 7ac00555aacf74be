import { FederationTable, GardenCharts, GardenRunsTable, GardenStatus } from '@/components/garden-sections';
import { PageShell } from '@/components/page-shell';
import { EmptyState, Panel } from '@/components/panel';
import { StoreProblem } from '@/components/store-problem';
import { requireViewer } from '@/lib/auth/current-viewer';
import { federationHistory } from '@/lib/queries/federation-history';
import { gardenHistory } from '@/lib/queries/garden-runs';
import { pageContext, type SearchParams } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';

export const dynamic = 'force-dynamic';

export default async function GardenerPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = pageContext(await searchParams, await requireViewer());
  const { project, range } = context;
  const data = readOrProblem(context.config, (stores) => ({
    garden: gardenHistory(stores.metrics.db, project, range),
    federation: federationHistory(stores.metrics.db, project),
  }));
  return (
    <PageShell context={context} current="/gardener" title="Night Gardener and federation">
      {data instanceof StoreError ? (
        <StoreProblem error={data} />
      ) : data.garden === null || data.federation === null ? (
        <EmptyState>
          This telemetry file has no maintenance history: the Night Gardener and federation need the HydraMem writer (`hydramem
          serve`).
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <GardenStatus history={data.garden} timeZone={range.timeZone} />
          <GardenCharts runs={data.garden.runs} range={range} />
          <Panel title="Runs" id="garden-runs">
            <GardenRunsTable history={data.garden} timeZone={range.timeZone} />
          </Panel>
          <Panel title="Exports and imports" id="federation" note="the latest 100, whatever the range; refused imports too">
            <FederationTable entries={data.federation} timeZone={range.timeZone} />
          </Panel>
        </div>
      )}
    </PageShell>
  );
}
