import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Engine } from '../../lib/engine/engine';
import { UserError } from '../../lib/engine/errors';
import { demoClock, seedDemoTenant } from '../../lib/engine/demo/seed';
import { action, configWith, parsePositiveInt } from '../cli-support';
import { startDashboardChild } from '../dashboard-child';
import { runUntilStopped, serveEngine } from './serve';

const log = (line: string): void => void process.stderr.write(`hydramem demo: ${line}\n`);

/** The sample notes ship in the repository; find them from the built CLI or from the sources. */
function samplesDir(): string {
  const candidates = [
    path.resolve(__dirname, '..', 'samples', 'kestrel-kms'),
    path.resolve(__dirname, '..', '..', 'samples', 'kestrel-kms'),
    path.resolve(process.cwd(), 'samples', 'kestrel-kms'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'README.md')));
  if (!found) throw new UserError('the sample notes (samples/kestrel-kms) are missing from this installation.');
  return found;
}

interface DemoOptions {
  dataDir: string;
  project: string;
  reset?: boolean;
  serve: boolean;
  searches: number;
  mcpPort?: number;
  dashboard: boolean;
  dashboardPort: number;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Create a demo tenant from the shipped sample notes, replay a month of searches, then serve its writer and dashboard',
    )
    .option('--data-dir <dir>', 'tenant data directory to create', '.hydramem-demo')
    .option('--project <name>', 'project (tenant) name', 'kestrel')
    .option('--reset', 'delete the demo data directory first and build it again')
    .option('--searches <n>', 'tool calls to replay', parsePositiveInt('--searches', 100_000), 400)
    .option('--mcp-port <port>', "port of the writer's MCP endpoint", parsePositiveInt('--mcp-port', 65535))
    .option('--dashboard-port <port>', 'port of the dashboard', parsePositiveInt('--dashboard-port', 65535), 8765)
    .option('--no-dashboard', 'serve the writer only')
    .option('--no-serve', 'build the tenant and exit instead of serving')
    .action(
      action(async (options: DemoOptions) => {
        const dataDir = path.resolve(options.dataDir);
        const config = configWith({
          HYDRAMEM_DATA_DIR: dataDir,
          HYDRAMEM_PROJECT: options.project,
          KNOWLEDGE_DIR: path.join(dataDir, 'kms'),
          HYDRAMEM_TRANSPORT: 'http',
          MCP_PORT: options.mcpPort,
          // The demo's writer is local: MCP without API keys on loopback, unless asked for keys.
          HYDRAMEM_HTTP_AUTH: process.env.HYDRAMEM_HTTP_AUTH ?? 'none',
        });
        if (options.reset) fs.rmSync(dataDir, { recursive: true, force: true });
        const fresh = !fs.existsSync(path.join(dataDir, 'metrics.db'));
        const clock = demoClock();
        const engine = Engine.open(config, { command: 'hydramem demo', clock: clock.clock });
        try {
          if (fresh) {
            log(`building the demo tenant "${config.project}" in ${dataDir}`);
            seedDemoTenant(engine, clock, { samplesDir: samplesDir(), searches: options.searches, log });
          } else {
            log(`reusing the demo tenant in ${dataDir} (use --reset to build it again)`);
          }
          const { telemetry, graph } = engine.stats(30);
          log(
            `${graph.documents} documents, ${graph.chunks} chunks, ${graph.entities} entities, ${graph.relations} relations; ` +
              `${telemetry.calls} tool calls in the last 30 days`,
          );
        } catch (error) {
          engine.close();
          throw error;
        }
        if (!options.serve) {
          engine.close();
          return;
        }
        const writer = await serveEngine(engine, config).catch((error: unknown) => {
          engine.close();
          throw error;
        });
        log(
          `writer serving; try: HYDRAMEM_DATA_DIR=${dataDir} HYDRAMEM_PROJECT=${config.project} npm run hydramem -- search "telemetry bus"`,
        );
        const dashboard = options.dashboard
          ? await startDashboardChild(
              { HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: config.project, ...demoAuthEnv(process.env) },
              options.dashboardPort,
            ).catch((error: unknown) => {
              log(`the dashboard did not start: ${(error as Error).message}`);
              return null;
            })
          : null;
        // The demo's history spans a month: open on a range that shows all of it.
        if (dashboard) log(`dashboard: open ${dashboard.url}/?range=30d in a browser`);
        log('press Ctrl+C to stop');
        await runUntilStopped(writer);
        await dashboard?.stop();
      }),
    );
}

/** The demo's dashboard is local: without an auth mode of the user's choosing it runs without sign-in, on loopback, with a banner. */
function demoAuthEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.DASHBOARD_AUTH_MODE ? {} : { DASHBOARD_AUTH_MODE: 'none', DASHBOARD_ALLOW_NO_AUTH: '1' };
}
