/**
 * Dashboard benchmark: server response time of each page over a tenant with 100k and with 1M
 * recorded tool calls (charts read the writer's rollups, so page time should not grow with
 * events), and the stall: how long /healthz takes while ten slow reads (query-log text searches too
 * short for the trigram index that match nothing, so they read every search in the range) run at
 * once.
 *
 *   npm run bench:dashboard                     # 100,000 and 1,000,000 events
 *   npm run bench:dashboard -- --sizes 10000,100000
 *
 * Prints a table and the ratio between the sizes; writes bench-results/dashboard.json. Figures only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config';
import { pick, seededRandom } from '../lib/engine/demo/random';
import { Engine } from '../lib/engine/engine';
import { freePort } from '../tests/helpers';

const ROOT = path.resolve(__dirname, '..');
const PAGES = [
  '/?range=30d',
  '/?range=90d',
  '/ingest?range=90d',
  '/graph?range=90d',
  '/queries?range=90d',
  '/queries?range=90d&zero=1',
  '/queries?range=90d&sort=latency_desc',
  '/queries?range=90d&q=bus',
];
const ROUNDS = 7;
/**
 * The slow page of the stall figure: a text filter of two characters (too short for the trigram
 * index) that matches nothing reads every search in 90 days.
 */
const SLOW_PAGE = '/queries?range=90d&q=zq';
const SLOW_READS = 10;
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'dashboard.json');
const QUERIES = [
  'telemetry bus',
  'who owns the archive',
  'ingest backlog',
  'forecast api latency',
  'polar pass priority',
  'xqzv',
];

function sizesFromArgs(): number[] {
  const index = process.argv.indexOf('--sizes');
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (!value) return [100_000, 1_000_000];
  const sizes = value.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    process.stderr.write('bench:dashboard: --sizes takes whole numbers, e.g. --sizes 10000,100000\n');
    process.exit(2);
  }
  return sizes;
}

/** A tenant with the sample notes and `events` synthetic tool calls over 90 days, written by the real recorder. */
function buildTenant(events: number): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-dash-'));
  const kms = path.join(dataDir, 'kms');
  fs.cpSync(path.join(ROOT, 'samples', 'kestrel-kms'), kms, { recursive: true });
  const config = loadConfig({ HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: 'bench', KNOWLEDGE_DIR: kms, HYDRAMEM_WATCH: '0' });
  const engine = Engine.open(config, { command: 'bench' });
  try {
    engine.ingest(kms, { source: 'bench' });
    const random = seededRandom(1234);
    const now = Date.now();
    for (let index = 0; index < events; index++) {
      const search = random() < 0.8;
      const latencyMs = Math.exp(random() * 5);
      engine.recorder.recordCall({
        at: new Date(now - Math.floor(random() * 90 * 86_400_000)),
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
              query: pick(random, QUERIES),
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

async function startDashboard(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'hydramem.cjs'), 'dashboard', '--port', String(port)], {
    cwd: ROOT,
    env: {
      ...process.env,
      HYDRAMEM_DATA_DIR: dataDir,
      HYDRAMEM_PROJECT: 'bench',
      NEXT_TELEMETRY_DISABLED: '1',
      DASHBOARD_AUTH_MODE: 'none',
      DASHBOARD_ALLOW_NO_AUTH: '1',
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
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timePages(url: string): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const page of PAGES) {
    await (await fetch(`${url}${page}`)).text(); // warm-up
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const response = await fetch(`${url}${page}`);
      await response.text();
      if (response.status !== 200) throw new Error(`${page} answered ${response.status}`);
      samples.push(performance.now() - started);
    }
    times[page] = median(samples);
  }
  return times;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

interface Stall {
  healthzAloneP99: number;
  healthzDuringP99: number;
  healthzDuringMax: number;
  healthzSamples: number;
  slowPagesMs: number;
  slowPageStatuses: number[];
}

/** /healthz latency alone, then while SLOW_READS slow pages load at once (polled every 10 ms until they are done). */
async function measureStall(url: string): Promise<Stall> {
  const probe = async (): Promise<number> => {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    return performance.now() - started;
  };
  const alone: number[] = [];
  for (let index = 0; index < 50; index++) alone.push(await probe());
  const during: number[] = [];
  let running = true;
  const started = performance.now();
  const slow = Promise.all(
    Array.from({ length: SLOW_READS }, async () => {
      const response = await fetch(`${url}${SLOW_PAGE}`);
      await response.text();
      return response.status;
    }),
  ).finally(() => {
    running = false;
  });
  const poller = (async () => {
    while (running) {
      during.push(await probe());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const statuses = await slow;
  const slowPagesMs = performance.now() - started;
  await poller;
  return {
    healthzAloneP99: percentile(alone, 0.99),
    healthzDuringP99: percentile(during, 0.99),
    healthzDuringMax: Math.max(...during, 0),
    healthzSamples: during.length,
    slowPagesMs,
    slowPageStatuses: statuses,
  };
}

async function main(): Promise<void> {
  const sizes = sizesFromArgs();
  const results: Array<{
    events: number;
    buildSeconds: number;
    metricsBytes: number;
    pages: Record<string, number>;
    stall: Stall;
  }> = [];
  for (const events of sizes) {
    process.stderr.write(`[${events}] recording events through the writer's recorder\n`);
    const started = performance.now();
    const dataDir = buildTenant(events);
    const buildSeconds = (performance.now() - started) / 1000;
    const dashboard = await startDashboard(dataDir);
    try {
      const pages = await timePages(dashboard.url);
      const stall = await measureStall(dashboard.url);
      results.push({ events, buildSeconds, metricsBytes: fs.statSync(path.join(dataDir, 'metrics.db')).size, pages, stall });
    } finally {
      await dashboard.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const header = ['page', ...results.map((result) => `${result.events.toLocaleString('en-US')} events`)];
  console.log(`\n== dashboard bench: median server response of ${ROUNDS} requests per page (ms) ==`);
  console.log(header.map((cell, index) => (index === 0 ? cell.padEnd(40) : cell.padStart(20))).join(''));
  for (const page of PAGES) {
    console.log([page.padEnd(40), ...results.map((result) => (result.pages[page] ?? 0).toFixed(1).padStart(20))].join(''));
  }
  for (const result of results) {
    console.log(
      `tenant with ${result.events.toLocaleString('en-US')} events: built in ${result.buildSeconds.toFixed(1)} s, metrics.db ${(result.metricsBytes / 1024 / 1024).toFixed(1)} MiB`,
    );
  }
  console.log(`\n== stall: /healthz while ${SLOW_READS} slow reads run at once (${SLOW_PAGE}) ==`);
  for (const { events, stall } of results) {
    console.log(
      `${events.toLocaleString('en-US').padStart(12)} events: /healthz p99 ${stall.healthzAloneP99.toFixed(1)} ms alone, ` +
        `${stall.healthzDuringP99.toFixed(1)} ms during (max ${stall.healthzDuringMax.toFixed(1)} ms, ${stall.healthzSamples} probes); ` +
        `the ${SLOW_READS} slow pages took ${(stall.slowPagesMs / 1000).toFixed(2)} s, statuses ${[...new Set(stall.slowPageStatuses)].join(',')}`,
    );
  }
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last && first !== last) {
    console.log(`\n== ratio: ${last.events.toLocaleString('en-US')} ÷ ${first.events.toLocaleString('en-US')} events ==`);
    for (const page of PAGES)
      console.log(`${page.padEnd(40)}${((last.pages[page] ?? 0) / (first.pages[page] || 1)).toFixed(2).padStart(8)}`);
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify({ finishedAt: new Date().toISOString(), rounds: ROUNDS, results }, null, 2));
  console.log(`\nresults written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:dashboard failed: ${(error as Error).message}\n`);
  process.exit(1);
});
