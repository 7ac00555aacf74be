import { IngestCharts } from '@/components/ingest-charts';
import { RecentRuns, SourcesTable } from '@/components/ingest-tables';
import { ExportLinks } from '@/components/export-links';
import { PageShell } from '@/components/page-shell';
import { EmptyState, Panel } from '@/components/panel';
import { StoreProblem } from '@/components/store-problem';
import { requireViewer } from '@/lib/auth/current-viewer';
import { formatCount } from '@/lib/format';
import { ingestActivity } from '@/lib/queries/ingest-activity';
import { ingestRuns } from '@/lib/queries/ingest-runs';
import { ingestSources } from '@/lib/queries/ingest-sources';
import { linkQuery, pageContext, type SearchParams } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';

export const dynamic = 'force-dynamic';

const RUNS_PER_PAGE = 50;

export default async function IngestPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = pageContext(await searchParams, await requireViewer());
  const { project, range, params } = context;
  const status = params.status ?? null;
  const data = readOrProblem(context.config, (stores) => ({
    activity: ingestActivity(stores.metrics.db, project, range),
    runs: ingestRuns(stores.metrics.db, project, range, {
      status: status ?? undefined,
      before: params.before,
      limit: RUNS_PER_PAGE,
    }),
    sources: ingestSources(stores.metrics.db, stores.graph?.db ?? null, project),
  }));
  // Filters and the cursor stay in the URL; changing the filter starts again at the newest run.
  const linkFor = (changes: Record<string, string | null>): string => `/ingest${linkQuery(params, { status, ...changes })}`;
  return (
    <PageShell context={context} current="/ingest" title="Ingest activity">
      {data instanceof StoreError ? (
        <StoreProblem error={data} />
      ) : data.activity === null ? (
        <EmptyState>
          This telemetry file comes from the Python HydraMem: ingest activity needs the HydraMem writer (`hydramem serve`).
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="ingest-totals">
            {[
              ['Files ok', data.activity.totals.ok],
              ['Skipped', data.activity.totals.skipped],
              ['Failed', data.activity.totals.failed],
              ['Chunks added', data.activity.totals.chunksAdded],
            ].map(([label, value]) => (
              <div key={label} className="rounded border border-slate-200 p-3 dark:border-slate-800">
                <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                <dd className="text-xl font-semibold tabular-nums" data-value={value}>
                  {formatCount(value as number)}
                </dd>
              </div>
            ))}
          </dl>
          <IngestCharts activity={data.activity} range={range} />
          <Panel title="Recent runs" id="recent-runs">
            <ExportLinks dataset="ingest-runs" query={linkQuery(params, { status, before: null })} label="Export these runs" />
            <RecentRuns page={data.runs} timeZone={range.timeZone} linkFor={linkFor} status={status} />
          </Panel>
          <Panel title="Sources" id="sources" note="each file's latest run, whatever the time range">
            <SourcesTable rows={data.sources.rows} truncated={data.sources.truncated} timeZone={range.timeZone} />
          </Panel>
        </div>
      )}
    </PageShell>
  );
}
