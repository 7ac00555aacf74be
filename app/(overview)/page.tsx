import { OverviewKpis } from '@/components/overview-kpis';
import { PageFrame } from '@/components/page-frame';
import { ReadOutcome } from '@/components/read-outcome';
import { ToolUsage } from '@/components/tool-usage';
import { WriterHealth } from '@/components/writer-health';
import { overviewKpis } from '@/lib/charts/overview-kpis';
import { dashboardPage } from '@/lib/request/dashboard-page';
import type { SearchParams } from '@/lib/request/links';

// Reads the stores on every request; never prerendered at build time.
export const dynamic = 'force-dynamic';

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const page = await dashboardPage(searchParams);
  const { read, context } = page;
  const [calls, tools, ingest, graph, health] = await Promise.all([
    read('callActivity'),
    read('toolUsage'),
    read('ingestActivity'),
    read('graphGrowth'),
    read('writerHealth'),
  ]);
  // A Python HydraMem data directory has telemetry only: its missing graph.db is expected, not a problem.
  const pythonFile = calls.ok && calls.data.pythonFile;
  const graphExpected = !(pythonFile && !graph.ok && graph.kind === 'store' && graph.problem.problem === 'missing');
  const growth = graph.ok ? graph.data : null;
  return (
    <PageFrame page={page} title="Overview" results={[calls, tools, ingest, health, ...(graphExpected ? [graph] : [])]}>
      <ReadOutcome result={calls}>
        {(activity) =>
          activity.current.calls === 0 && activity.previous.calls === 0 && (growth?.now.documents ?? 0) === 0 ? (
            <p className="rounded border border-slate-200 p-6 dark:border-slate-800">
              Nothing recorded yet for project {context.project}: ingest notes with <code>hydramem ingest PATH</code> and connect
              an agent to <code>hydramem serve</code>.
            </p>
          ) : (
            <>
              {pythonFile && (
                <p
                  role="note"
                  className="mb-4 rounded border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
                >
                  This data directory holds a Python HydraMem telemetry file: the overview shows its calls, latency and tokens per
                  tool. Ingest activity, graph statistics, the query log and error rates need the HydraMem writer (
                  <code>hydramem serve</code>).
                </p>
              )}
              <OverviewKpis cards={overviewKpis(activity, ingest.ok ? ingest.data : null, growth)} />
              <ReadOutcome result={tools}>{(usage) => <ToolUsage usage={usage} labels={context.range} />}</ReadOutcome>
              <ReadOutcome result={health}>
                {(data) => <WriterHealth health={data} timeZone={context.range.timeZone} />}
              </ReadOutcome>
            </>
          )
        }
      </ReadOutcome>
    </PageFrame>
  );
}
