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
import { TelemetryRecorder, type CallRecord } from '../lib/engine/telemetry/recorder';
import { log } from './bench-tenant';
import { withDeferredIndexes } from './deferred-indexes';
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

/** The synthetic calls of a tenant: seeded, in time order over the 90 days before `now`. */
export function* syntheticCalls(events: number, now: number): Generator<CallRecord> {
  const random = seededRandom(1234);
  // In time order, as a writer records them: each call at a random instant of its own slice of
  // the 90 days (calls recorded in random order scatter each hour's rows across the file).
  const slice = SPAN_MS / events;
  for (let index = 0; index < events; index++) {
    const search = random() < 0.8;
    const latencyMs = Math.exp(random() * 5);
    yield {
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
    };
  }
}

export interface TenantBuild {
  /** Where the tenant goes: a new temporary folder by default. */
  dataDir?: string;
  /** The end of the calls' 90 days (ms since the epoch): now by default. */
  now?: number;
  /**
   * Record with the tables' secondary and text indexes built once at the end (bench/deferred-indexes.ts):
   * the same rows, rollups and indexes, much faster at 10M calls. Off: call by call, as a writer does.
   */
  fast?: boolean;
}

/** Calls per transaction on the fast path: few commits, and the rollups merged in memory first. */
const FAST_BATCH = 50_000;

/**
 * A tenant with the sample notes and `events` synthetic tool calls over 90 days, written by the real
 * recorder.
 */
export function buildEventTenant(events: number, build: TenantBuild = {}): string {
  const dataDir = build.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-dash-'));
  fs.mkdirSync(dataDir, { recursive: true });
  const kms = path.join(dataDir, 'kms');
  fs.cpSync(path.join(ROOT, 'samples', 'kestrel-kms'), kms, { recursive: true });
  const engine = Engine.open(loadConfig(benchTenantEnv(dataDir)), { command: 'bench' });
  try {
    engine.ingest(kms, { source: 'bench' });
    engine.recorder.flush();
    const calls = syntheticCalls(events, build.now ?? Date.now());
    if (build.fast) {
      const recorder = new TelemetryRecorder(engine.metricsDb, BENCH_PROJECT, 3_600_000, FAST_BATCH);
      withDeferredIndexes(engine.metricsDb, ['events', 'query_log'], () => {
        for (const call of calls) recorder.recordCall(call);
        recorder.close();
      });
      if (recorder.dropped > 0) throw new Error(`the recorder dropped ${recorder.dropped} call(s)`);
    } else {
      for (const call of calls) engine.recorder.recordCall(call);
      engine.recorder.flush();
    }
  } finally {
    engine.close();
  }
  return dataDir;
}

/**
 * The tenant of `events` calls: built in a temporary folder, or with --tenants DIR kept in
 * DIR/calls-N and used again by the next run; built on the fast path (bench/deferred-indexes.ts).
 */
export function benchTenant(events: number): { dataDir: string; buildSeconds: number | null; keep: boolean } {
  const index = process.argv.indexOf('--tenants');
  const kept = index >= 0 ? process.argv[index + 1] : undefined;
  const dataDir = kept ? path.resolve(kept, `calls-${events}`) : undefined;
  const complete = dataDir ? path.join(dataDir, 'built') : undefined;
  if (dataDir && complete && fs.existsSync(complete)) {
    log(`[${events}] using the tenant kept in ${dataDir}`);
    // Opened by the writer first, as a deployment's writer would, so that its stores have this
    // version's schema (the dashboard refuses an older one).
    Engine.open(loadConfig(benchTenantEnv(dataDir)), { command: 'bench' }).close();
    return { dataDir, buildSeconds: null, keep: true };
  }
  log(`[${events}] recording ${events.toLocaleString('en-US')} calls through the writer's recorder, indexes built at the end`);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  const built = buildEventTenant(events, { dataDir, fast: true });
  if (complete) fs.writeFileSync(complete, `${new Date().toISOString()}\n`);
  return { dataDir: built, buildSeconds: (performance.now() - started) / 1000, keep: Boolean(dataDir) };
}

/**
 * The tenant a run's writer may add to. A load run's writer records every search it serves, so a
 * kept tenant it wrote to would grow with each run (one kept 1M tenant reached 1.42M calls and 2.3 GB);
 * it gets a copy instead, deleted by `release`. A temporary tenant is used as it is.
 */
export function tenantForWriter(dataDir: string, keep: boolean): { dataDir: string; release(): void } {
  if (!keep) return { dataDir, release: () => undefined };
  const copy = fs.mkdtempSync(path.join(path.dirname(dataDir), `${path.basename(dataDir)}-run-`));
  log(`[writer] the kept tenant copied to ${copy} for this run's writer`);
  fs.cpSync(dataDir, copy, { recursive: true });
  return { dataDir: copy, release: () => fs.rmSync(copy, { recursive: true, force: true }) };
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
export function dashboardNice(): number {
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
