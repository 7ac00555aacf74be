import { OverviewKpis } from '@/components/overview-kpis';
import { PageShell } from '@/components/page-shell';
import { StoreProblem } from '@/components/store-problem';
import { ToolUsage } from '@/components/tool-usage';
import { WriterHealth } from '@/components/writer-health';
import { requireViewer } from '@/lib/auth/current-viewer';
import { overview } from '@/lib/queries/overview';
import { pageContext, type SearchParams } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';

// Reads the stores on every request; never prerendered at build time.
export const dynamic = 'force-dynamic';

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const context = pageContext(await searchParams, await requireViewer());
  const loaded = readOrProblem(context.config, (stores) => overview(stores, context.project, context.range));
  const content =
    loaded instanceof StoreError ? (
      <StoreProblem error={loaded} />
    ) : loaded.calls.current.calls === 0 && loaded.calls.previous.calls === 0 && (loaded.graph?.documents ?? 0) === 0 ? (
      <p className="rounded border border-slate-200 p-6 dark:border-slate-800">
        Nothing recorded yet for project {context.project}: ingest notes with <code>hydramem ingest PATH</code> and connect an
        agent to <code>hydramem serve</code>.
      </p>
    ) : (
      <>
        {loaded.pythonFile && (
          <p
            role="note"
            className="mb-4 rounded border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
          >
            This data directory holds a Python HydraMem telemetry file: the overview shows its calls, latency and tokens per tool.
            Ingest activity, graph statistics, the query log and error rates need the HydraMem writer (<code>hydramem serve</code>
            ).
          </p>
        )}
        <OverviewKpis data={loaded} />
        <ToolUsage tools={loaded.tools} range={context.range} />
        <WriterHealth health={loaded.health} timeZone={context.range.timeZone} />
      </>
    );
  return (
    <PageShell context={context} current="/" title="Overview">
      {content}
    </PageShell>
  );
}
