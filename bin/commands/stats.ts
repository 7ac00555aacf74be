import type { Command } from 'commander';
import { graphDbPath, metricsDbPath } from '../../lib/config';
import { graphCounts } from '../../lib/store/sql/graph-counts';
import { formatStats, telemetryStats } from '../../lib/engine/stats';
import { openStoreReadOnly } from '../../lib/store/open-readonly';
import { action, configWith, parsePositiveInt } from '../cli-support';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Telemetry and graph totals for the project (reads the stores read-only; safe while the writer runs)')
    .option('--days <n>', 'window in days', parsePositiveInt('--days', 3650), 30)
    .option('--json', 'print as JSON')
    .action(
      action((options: { days: number; json?: boolean }) => {
        const config = configWith({});
        const metrics = openStoreReadOnly('metrics', metricsDbPath(config));
        const graph = openStoreReadOnly('graph', graphDbPath(config));
        try {
          const since = new Date(Date.now() - options.days * 86_400_000);
          const telemetry = telemetryStats(metrics.db, config.project, since);
          const counts = graphCounts(graph.db, config.project);
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ telemetry, graph: counts }, null, 2)}\n`
              : `${formatStats(telemetry, counts, options.days)}\n`,
          );
        } finally {
          metrics.db.close();
          graph.db.close();
        }
      }),
    );
}
