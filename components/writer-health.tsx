import { formatBytes, formatInstant } from '@/lib/format';
import type { WriterHealth as WriterHealthData } from '@/lib/read/writer-health';
import { parseTimestamp } from '@/lib/store/time';

function graphState(health: WriterHealthData): string {
  if (health.graphVersion !== null) return `${formatBytes(health.graphBytes)}, schema ${health.graphVersion}`;
  return health.graphProblem ? `unavailable: ${health.graphProblem}` : 'not present (needs the HydraMem writer)';
}

export function WriterHealth({ health, timeZone }: { health: WriterHealthData; timeZone: string }) {
  const lastCall = health.lastEventAt ? formatInstant(parseTimestamp(health.lastEventAt), timeZone, true) : 'no tool calls yet';
  return (
    <section className="mt-6 rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
      <h2 className="font-medium">Writer health</h2>
      <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
        <dt className="text-slate-600 dark:text-slate-400">Last tool call</dt>
        <dd data-testid="last-tool-call">{lastCall}</dd>
        <dt className="text-slate-600 dark:text-slate-400">metrics.db</dt>
        <dd>
          {formatBytes(health.metricsBytes)}, schema {health.metricsVersion}
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">graph.db</dt>
        <dd className="break-words">{graphState(health)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Time zone</dt>
        <dd>{timeZone}</dd>
      </dl>
    </section>
  );
}
