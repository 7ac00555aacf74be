import { FederationTable, GardenCharts, GardenRunsTable, GardenStatus } from '@/components/garden-sections';
import { PageFrame } from '@/components/page-frame';
import { EmptyState } from '@/components/panel';
import { ReadOutcome, ReadPanel } from '@/components/read-outcome';
import { dashboardPage } from '@/lib/request/dashboard-page';
import type { SearchParams } from '@/lib/request/links';

export const dynamic = 'force-dynamic';

const NO_HISTORY =
  'This telemetry file has no maintenance history: the Night Gardener and federation need the HydraMem writer (`hydramem serve`).';

export default async function GardenerPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const { range } = context;
  const [garden, federation] = await Promise.all([read('gardenHistory'), read('federationHistory')]);
  return (
    <PageFrame page={page} title="Night Gardener and federation" results={[garden, federation]}>
      <div className="space-y-4">
        <ReadOutcome result={garden}>
          {(history) =>
            history === null ? (
              <EmptyState>{NO_HISTORY}</EmptyState>
            ) : (
              <>
                <GardenStatus history={history} timeZone={range.timeZone} />
                <GardenCharts buckets={history.buckets} labels={range} />
                <ReadPanel title="Runs" id="garden-runs" result={garden}>
                  {() => <GardenRunsTable history={history} timeZone={range.timeZone} />}
                </ReadPanel>
              </>
            )
          }
        </ReadOutcome>
        <ReadPanel
          title="Exports and imports"
          id="federation"
          note="the latest 100, whatever the range; refused imports too"
          result={federation}
        >
          {(entries) =>
            entries === null ? (
              <EmptyState>{NO_HISTORY}</EmptyState>
            ) : (
              <FederationTable entries={entries} timeZone={range.timeZone} />
            )
          }
        </ReadPanel>
      </div>
    </PageFrame>
  );
}
