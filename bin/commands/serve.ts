import fs from 'node:fs';
import type { Command } from 'commander';
import type { HydraConfig } from '../../lib/config';
import { Engine } from '../../lib/engine/engine';
import { UserError } from '../../lib/engine/errors';
import { runScheduledGarden } from '../../lib/engine/garden/scheduled-run';
import { startGardenScheduler } from '../../lib/engine/garden/scheduler';
import { formatLocalTime } from '../../lib/engine/garden/summary-line';
import { isLoopback, startHttpMcp } from '../../lib/engine/mcp/http';
import { startStdioMcp } from '../../lib/engine/mcp/stdio';
import { watchKnowledgeDir } from '../../lib/engine/watch';
import { action, configWith, parsePositiveInt } from '../cli-support';
import { formatIngestSummary } from './ingest';

const log = (line: string): void => void process.stderr.write(`hydramem: ${line}\n`);

export interface RunningWriter {
  engine: Engine;
  mcpUrl: string | null;
  stop(): Promise<void>;
  /** Resolves when a stdio client disconnects (never for HTTP). */
  done: Promise<void>;
}

/** Starts serving an engine that is already open: watcher plus MCP transport. */
export async function serveEngine(engine: Engine, config: HydraConfig): Promise<RunningWriter> {
  // The word vectors are read before the first call is taken, so that no call waits for them.
  engine.dense?.prepare();
  const watcher = config.watch
    ? watchKnowledgeDir(engine, {
        debounceMs: config.watchDebounceMs,
        onIngest: (summary) => log(`change picked up: ${formatIngestSummary(summary)}`),
        onError: (error) => log(`watching ${config.knowledgeDir} failed: ${String(error)}`),
      })
    : null;
  let mcpUrl: string | null = null;
  let closeTransport: () => Promise<void>;
  let done: Promise<void> = new Promise<void>(() => undefined);
  if (config.transport === 'http') {
    if (config.httpAuth === 'none') {
      if (!isLoopback(config.mcpHost))
        throw new UserError(
          `HYDRAMEM_HTTP_AUTH=none serves MCP without API keys, which is allowed on a loopback address only, not ${config.mcpHost}: ` +
            'remove it and create keys with `hydramem keys create`.',
          2,
        );
      log('warning: HYDRAMEM_HTTP_AUTH=none: any local process can call every tool without a key (development only)');
    }
    const http = await startHttpMcp(engine, config.mcpHost, config.mcpPort).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(
        error.code === 'EADDRINUSE'
          ? `MCP_PORT ${config.mcpPort} on ${config.mcpHost} is already in use: choose another port with MCP_PORT.`
          : `cannot listen on ${config.mcpHost}:${config.mcpPort}: ${error.message}`,
        2,
      );
    });
    mcpUrl = http.url;
    engine.lock?.update({ mcpUrl });
    log(`MCP (Streamable HTTP) on ${http.url} for project ${config.project}`);
    closeTransport = () => http.close();
  } else {
    const stdio = await startStdioMcp(engine);
    log(`MCP on stdio for project ${config.project}`);
    closeTransport = () => stdio.close();
    done = stdio.closed;
  }
  const gardener = config.gardenSchedule
    ? startGardenScheduler(config.gardenSchedule, () => runScheduledGarden(engine, log))
    : null;
  log(
    gardener
      ? `Night Gardener on "${config.gardenSchedule?.expression}" (server local time), next run ${gardener.nextRunAt ? formatLocalTime(gardener.nextRunAt) : 'never'}`
      : 'Night Gardener schedule off (HYDRAMEM_GARDEN_SCHEDULE=off)',
  );
  let stopped = false;
  return {
    engine,
    mcpUrl,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      gardener?.stop();
      watcher?.close();
      await closeTransport().catch(() => undefined);
      engine.close();
    },
  };
}

/** Stops cleanly on SIGINT/SIGTERM (and when a stdio client leaves): telemetry flushed, lock released. */
export async function runUntilStopped(writer: RunningWriter): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (reason: string): void => {
      log(`stopping (${reason})`);
      void writer.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    void writer.done.then(() => stop('client disconnected'));
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the writer: ingest KNOWLEDGE_DIR, watch it for changes and serve MCP (stdio or HTTP)')
    .option('--transport <kind>', 'stdio or http (HYDRAMEM_TRANSPORT)')
    .option('--host <host>', 'HTTP bind address (MCP_HOST, default 127.0.0.1)')
    .option('--port <port>', 'HTTP port (MCP_PORT, default 3000)', parsePositiveInt('--port', 65535))
    .option('--no-watch', 'do not watch KNOWLEDGE_DIR for changes')
    .action(
      action(async (options: { transport?: string; host?: string; port?: number; watch: boolean }) => {
        const config = configWith({
          HYDRAMEM_TRANSPORT: options.transport,
          MCP_HOST: options.host,
          MCP_PORT: options.port,
          HYDRAMEM_WATCH: options.watch ? undefined : '0',
        });
        if (!fs.existsSync(config.knowledgeDir) || !fs.statSync(config.knowledgeDir).isDirectory()) {
          throw new UserError(
            `KNOWLEDGE_DIR ${config.knowledgeDir} does not exist or is not a folder: create it or set KNOWLEDGE_DIR to your notes.`,
            2,
          );
        }
        const engine = Engine.open(config, { command: 'hydramem serve' });
        let writer: RunningWriter;
        try {
          const summary = engine.ingest(config.knowledgeDir, { source: 'serve', recordUnchanged: false, actor: 'serve' });
          log(formatIngestSummary(summary));
          writer = await serveEngine(engine, config);
        } catch (error) {
          engine.close();
          throw error;
        }
        await runUntilStopped(writer);
      }),
    );
}
