/**
 * What the dashboard benchmarks share: a tenant of synthetic tool calls written by the writer's real
 * recorder, and the real `hydramem dashboard` started on it (the production build).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { pick, seededRandom } from '../lib/engine/demo/random';
import { Engine } from '../lib/engine/engine';
import { childOf, freePort } from '../tests/helpers';

export const ROOT = path.resolve(__dirname, '..');
export const BENCH_PROJECT = 'bench';

/** The searches of the synthetic log; "xqzv" finds nothing. */
export const BENCH_QUERIES = [
  'telemetry bus',
  'who owns the archive',
  'ingest backlog',
  'forecast api latency',
  'polar pass priority',
  'xqzv',
];

/** The span of the synthetic calls: the 90 days before the tenant is built. */
const SPAN_MS = 90 * 86_400_000;

/** The tenant's settings for an engine or a writer process. */
export function benchTenantEnv(dataDir: string): Record<string, string> {
  return {
    HYDRAMEM_DATA_DIR: dataDir,
    HYDRAMEM_PROJECT: BENCH_PROJECT,
    KNOWLEDGE_DIR: path.join(dataDir, 'kms'),
    HYDRAMEM_WATCH: '0',
  };
}

/**
 * A tenant with the sample notes and `events` synthetic tool calls over 90 days, written by the real
 * recorder, in `dataDir` (a new temporary folder by default).
 */
export function buildEventTenant(
  events: number,
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-dash-')),
): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const kms = path.join(dataDir, 'kms');
  fs.cpSync(path.join(ROOT, 'samples', 'kestrel-kms'), kms, { recursive: true });
  const engine = Engine.open(loadConfig(benchTenantEnv(dataDir)), { command: 'bench' });
  try {
    engine.ingest(kms, { source: 'bench' });
    const random = seededRandom(1234);
    const now = Date.now();
    // In time order, as a writer records them: each call at a random instant of its own slice of
    // the 90 days (calls recorded in random order scatter each hour's rows across the file).
    const slice = SPAN_MS / events;
    for (let index = 0; index < events; index++) {
      const search = random() < 0.8;
      const latencyMs = Math.exp(random() * 5);
      engine.recorder.recordCall({
        at: new Date(now - SPAN_MS + Math.floor((index + random()) * slice)),
        tool: search ? 'hydra_search_tool' : pick(random, ['remember', 'get_entity_neighbors_tool', 'ingest_markdown']),
        sessionId: `s${Math.floor(random() * 5000)}`,
        latencyMs,
        tokensInjected: Math.floor(random() * 2000),
        tokensBaseline: Math.floor(random() * 9000),
        chunksTotal: 8,
        metadata: {},
        error: random() < 0.01 ? 'synthetic failure' : null,
        query: search
          ? {
              userId: `u${Math.floor(random() * 50)}`,
              memoryId: null,
              query: pick(random, BENCH_QUERIES),
              resultCount: random() < 0.05 ? 0 : 8,
              topScore: 0.03,
              chunkIds: [],
              entityIds: [],
            }
          : undefined,
      });
    }
    engine.recorder.flush();
  } finally {
    engine.close();
  }
  return dataDir;
}

export interface BenchDashboard {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `hydramem dashboard` on the tenant, without sign-in (loopback), with `env` added to its settings. */
/**
 * The dashboard's CPU priority: the unit's (deploy/systemd/hydramem-dashboard@.service, Nice=10,
 * so the writer comes first), or `--dashboard-nice N` (0 as a plain `hydramem dashboard` runs).
 */
function dashboardNice(): number {
  const index = process.argv.indexOf('--dashboard-nice');
  const value = index >= 0 ? Number(process.argv[index + 1]) : 10;
  if (!Number.isInteger(value) || value < 0 || value > 19) {
    process.stderr.write('bench: --dashboard-nice takes a whole number from 0 to 19\n');
    process.exit(2);
  }
  return value;
}

export async function startBenchDashboard(dataDir: string, env: Record<string, string> = {}): Promise<BenchDashboard> {
  const nice = dashboardNice();
  const port = await freePort();
  // Started as a deployment starts it: at the unit's CPU priority, and through bin/hydramem.cjs,
  // which launches the server with its memory settings as a child process, whose figures `pid` names.
  const command = [process.execPath, path.join(ROOT, 'bin', 'hydramem.cjs'), 'dashboard', '--port', String(port)];
  const child = spawn('nice', ['-n', String(nice), ...command], {
    cwd: ROOT,
    env: {
      ...process.env,
      HYDRAMEM_DATA_DIR: dataDir,
      HYDRAMEM_PROJECT: BENCH_PROJECT,
      NEXT_TELEMETRY_DISABLED: '1',
      DASHBOARD_AUTH_MODE: 'none',
      DASHBOARD_ALLOW_NO_AUTH: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`:${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited ${code}: ${output}`)));
  });
  const server = childOf(child.pid ?? -1);
  if (server === null) throw new Error('the dashboard launcher has no server process');
  return {
    url: `http://127.0.0.1:${port}`,
    pid: server,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}
