/**
 * Memory over many requests: 100,000 requests (autocannon, 50 connections) spread over every page of
 * a tenant of 1M calls, with the dashboard as deployed (pages and reads shared), while a writer
 * serves searches on the tenant so that its commits keep the pages rendering. The dashboard's RSS is
 * sampled every second; its idle RSS (after the idle collection) is taken after a first tenth of the
 * requests and again after all of them, and the two are compared: a leak shows as growth between them.
 *
 *   npm run bench:growth
 *   npm run bench:growth -- --events 1000000 --requests 100000 --tenants /var/tmp/hydramem-bench
 *
 * Prints the samples and the comparison, and writes bench-results/growth.json. Figures only.
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchTenant, ROOT, startBenchDashboard, tenantForWriter } from './dashboard-tenant';
import { log, mb, procMemory, startWriter, wholeNumberArg } from './load-parts';

const PAGES = [
  '/?range=30d',
  '/ingest?range=30d',
  '/graph?range=30d',
  '/queries?range=30d',
  '/queries?range=7d&q=bus',
  '/queries?range=30d&sort=latency_desc',
  '/gardener',
  '/users',
];
const CONNECTIONS = 50;
/** Past the idle collection (10 s after the last request) and the read threads' idle end (30 s). */
const IDLE_WAIT_MS = 35_000;
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'growth.json');

interface Leg {
  requests: number;
  seconds: number;
  non2xx: number;
  errors: number;
  /** RSS once a second during the leg, in bytes. */
  rssSamples: number[];
  /** RSS after the leg and IDLE_WAIT_MS without requests. */
  idleRssBytes: number;
}

async function leg(url: string, pid: number, amount: number): Promise<Leg> {
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(procMemory(pid, 'VmRSS')), 1000);
  const started = performance.now();
  try {
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      amount,
      timeout: 10,
      requests: PAGES.map((page) => ({ method: 'GET', path: page })),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
    return {
      requests: result.requests.total,
      seconds,
      non2xx: result.non2xx,
      errors: result.errors,
      rssSamples,
      idleRssBytes: procMemory(pid, 'VmRSS'),
    };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const events = wholeNumberArg('bench:growth', 'events', 1_000_000);
  const requests = wholeNumberArg('bench:growth', 'requests', 100_000);
  const tenant = benchTenant(events);
  // The writer records its searches: a kept tenant is run on a copy, so that it does not grow.
  const { dataDir, release } = tenantForWriter(tenant.dataDir, tenant.keep);
  const writer = await startWriter(dataDir);
  try {
    const dashboard = await startBenchDashboard(dataDir);
    let legs: Leg[];
    try {
      const first = Math.round(requests / 10);
      log(`[growth] ${first.toLocaleString('en-US')} requests over ${PAGES.length} pages, then idle`);
      const warm = await leg(dashboard.url, dashboard.pid, first);
      log(`[growth] ${(requests - first).toLocaleString('en-US')} more, then idle`);
      const rest = await leg(dashboard.url, dashboard.pid, requests - first);
      legs = [warm, rest];
    } finally {
      await dashboard.stop();
    }
    const [warm, rest] = legs as [Leg, Leg];
    const peak = Math.max(...warm.rssSamples, ...rest.rssSamples);
    console.log(
      `\n== ${requests.toLocaleString('en-US')} requests, ${CONNECTIONS} connections, ${events.toLocaleString('en-US')} calls, writer searching ==`,
    );
    for (const [name, figures] of [
      ['first tenth', warm],
      ['the rest', rest],
    ] as const) {
      const perSecond = figures.requests / figures.seconds;
      const samples = figures.rssSamples;
      console.log(
        `${name.padEnd(12)} ${figures.requests.toLocaleString('en-US').padStart(8)} requests in ${figures.seconds.toFixed(0)} s ` +
          `(${perSecond.toFixed(0)}/s, ${figures.non2xx} non-2xx, ${figures.errors} errors); RSS during ` +
          `${mb(Math.min(...samples))}–${mb(Math.max(...samples))}, last ${mb(samples.at(-1) ?? 0)}; idle after ${mb(figures.idleRssBytes)}`,
      );
    }
    const growth = rest.idleRssBytes - warm.idleRssBytes;
    console.log(
      `idle RSS after ${warm.requests.toLocaleString('en-US')} → after ${(warm.requests + rest.requests).toLocaleString('en-US')} requests: ` +
        `${mb(warm.idleRssBytes)} → ${mb(rest.idleRssBytes)} (${growth >= 0 ? '+' : ''}${mb(growth)}); peak ${mb(peak)}`,
    );
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ events, requests, pages: PAGES, legs }, null, 2)}\n`);
    log(`[growth] wrote ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    await new Promise<void>((resolve) => (writer.child.once('exit', () => resolve()), writer.child.kill('SIGTERM')));
    release();
    if (!tenant.keep) fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:growth failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
