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
import fs from 'node:fs';
import path from 'node:path';
import { buildEventTenant, ROOT, startBenchDashboard } from './dashboard-tenant';
import { median, percentile, sizesArg } from './load-parts';

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
  const sizes = sizesArg('bench:dashboard', [100_000, 1_000_000]);
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
    const dataDir = buildEventTenant(events, { fast: true });
    const buildSeconds = (performance.now() - started) / 1000;
    const dashboard = await startBenchDashboard(dataDir);
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
