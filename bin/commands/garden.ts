import type { Command } from 'commander';
import { metricsDbPath } from '../../lib/config';
import { GardenBusyError, liveGardenHolder } from '../../lib/engine/garden/garden-lock';
import type { GardenSummary } from '../../lib/engine/garden/night-gardener';
import { gardenStatus, type GardenStatus } from '../../lib/engine/garden/status';
import { formatGardenSummary, formatLocalTime } from '../../lib/engine/garden/summary-line';
import { openStoreReadOnly } from '../../lib/store/open-readonly';
import { parseTimestamp } from '../../lib/store/time';
import { cliActor } from '../cli-actor';
import { action, configWith } from '../cli-support';
import { withWriter } from '../writer-access';

/** How long to wait for a run in the serving writer; a large graph can take longer than the SDK's default minute. */
const REMOTE_RUN_TIMEOUT_MS = 30 * 60_000;

export function formatGardenStatus(status: GardenStatus): string {
  const last = status.lastRun;
  const lastLine = last
    ? `last run ${last.id} (${last.trigger}) ${last.status} at ${last.started_at}` +
      (last.status !== 'ok'
        ? last.error
          ? `: ${last.error}`
          : ''
        : `: ${last.entities_merged} merged, ${last.orphans_pruned} pruned, ` +
          `${last.relations_decayed} decayed, ${last.entities_boosted} boosted`)
    : 'no run yet';
  const running = status.running ? `; running now: pid ${status.running.pid} (${status.running.command})` : '';
  const next = status.nextScheduledRun ? formatLocalTime(new Date(parseTimestamp(status.nextScheduledRun))) : 'never';
  const schedule = status.schedule === 'off' ? 'schedule off' : `schedule "${status.schedule}", next ${next}`;
  return `${status.project}: ${lastLine}; ${status.totals.runs} run(s) in all; ${schedule}${running}`;
}

export function registerGarden(program: Command): void {
  program
    .command('garden')
    .description(
      'Run the Night Gardener once: merge duplicate entities, prune orphans, decay stale relations, ' +
        'boost entities searches return often, refresh the graph statistics (through the running writer if one serves HTTP)',
    )
    .option('--json', 'print the result as JSON')
    .option('--status', 'show the schedule, the run in progress and recent runs instead of running (read-only)')
    .action(
      action(async (options: { json?: boolean; status?: boolean }) => {
        const config = configWith({});
        if (options.status) {
          const metrics = openStoreReadOnly('metrics', metricsDbPath(config));
          try {
            const status = gardenStatus(
              metrics.db,
              { project: config.project, dataDir: config.dataDir, schedule: config.gardenSchedule },
              new Date(),
            );
            process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatGardenStatus(status)}\n`);
          } finally {
            metrics.db.close();
          }
          return;
        }
        // Refuse before asking the writer: it would only run again once the current run is over.
        const holder = liveGardenHolder(config.dataDir);
        if (holder) throw new GardenBusyError(holder, config.dataDir);
        const summary = await withWriter(
          config,
          'hydramem garden',
          (engine) => engine.runGarden({ trigger: 'manual', command: 'hydramem garden' }, cliActor()),
          async (writer) => {
            const { callWriterTool } = await import('../../lib/engine/mcp/client');
            return (await callWriterTool(
              writer,
              'run_night_gardener',
              {},
              { timeoutMs: REMOTE_RUN_TIMEOUT_MS },
            )) as GardenSummary;
          },
        );
        process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatGardenSummary(summary)}\n`);
      }),
    );
}
