/**
 * The dashboard's figures in one run, side by side for tenants of several sizes: each page's
 * p50/p95 over ROUNDS requests after a warm-up, rendered for every request (sharing off) and as
 * viewers are served while the stores are unchanged (pages and reads shared), a static asset of
 * the same server as the floor, the Python HydraMem's stats SQL on the same file
 * (python3), the dashboard's idle memory after the page run, and, on one size, 50 viewers at once
 * (autocannon) with and without a writer serving searches, the dashboard's peak memory and the
 * writer's rate alone and under that load.
 *
 *   npm run bench                                         # 100k, 1M and 10M calls; load on 1M
 *   npm run bench -- --sizes 100000,1000000 --load-size 1000000 --seconds 20 --connections 50
 *   npm run bench -- --tenants /var/tmp/hydramem-bench            # keep the tenants for the next run
 *
 * Prints one table with its ratios and writes bench-results/bench.json. Figures only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { benchTenant, ROOT, startBenchDashboard, tenantForWriter } from './dashboard-tenant';
import { RECORDER_BATCH, RECORDER_CALLS, recorderMicrosPerCall } from './recorder-cost';
import {
  load,
  log,
  mb,
  median,
  percentile,
  procMemory,
  runWithWriter,
  sizesArg,
  staticAssetPath,
  wholeNumberArg,
  type LoadFigures,
  type LoadOptions,
} from './load-parts';

const PAGES = ['/?range=30d', '/ingest?range=30d', '/graph?range=30d', '/queries?range=30d', '/queries?range=30d&q=bus'];
const LOAD_PAGES = ['/?range=30d', '/queries?range=30d'];
const ROUNDS = 20;
const PYTHON_ROUNDS = 5;
const IDLE_WAIT_MS = 35_000;
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'bench.json');

/** The Python HydraMem's `query_stats` (hydramem/telemetry/storage.py) for 30 days, no project, timed by python3. */
const PYTHON_STATS = `
import json, sqlite3, sys, time
db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro&immutable=1', uri=True)
sql = """SELECT COUNT(*) AS total_calls, COALESCE(SUM(tokens_injected), 0), COALESCE(SUM(tokens_baseline), 0),
  COALESCE(AVG(vog_score), 0.0), COALESCE(SUM(chunks_rejected_srmkg), 0), COALESCE(SUM(chunks_rejected_vog), 0),
  COALESCE(SUM(cross_project_hit), 0), COALESCE(SUM(was_hallucination_blocked), 0), GROUP_CONCAT(DISTINCT project),
  MIN(ts), MAX(ts) FROM events WHERE ts >= datetime('now', :delta)"""
times = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    db.execute(sql, {'delta': '-30 days'}).fetchall()
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
`;

interface Timing {
  p50: number;
  p95: number;
  bytes: number;
}

interface SizeResult {
  events: number;
  /** null for a tenant kept from an earlier run */
  buildSeconds: number | null;
  metricsBytes: number;
  asset: Timing;
  /** Rendered for each request: DASHBOARD_READ_REUSE_MS=0. */
  pages: Record<string, Timing>;
  /** As served with the default sharing: most requests get the page rendered within the second. */
  served: Record<string, Timing>;
  pythonStatsMs: number | null;
  idleRssBytes: number;
  /** The recorder's cost per call appended to a copy of this tenant (bench/recorder-cost.ts). */
  recorderMicrosPerCall: number;
  load: LoadRun | null;
}

interface LoadRun {
  alone: LoadFigures[];
  peakRssBytes: number;
  withWriter: LoadFigures[];
  withWriterPeakRssBytes: number;
  writerAlonePerSec: number;
  writerDuringPerSec: number;
}

/** p50 and p95 of ROUNDS requests after two warm-ups, and the answer's size. */
async function timeUrl(url: string): Promise<Timing> {
  let bytes = 0;
  for (let warm = 0; warm < 2; warm++) bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), bytes };
}

/** Every page timed on a dashboard with the default sharing of pages and reads. */
async function timePages(dataDir: string): Promise<Record<string, Timing>> {
  const dashboard = await startBenchDashboard(dataDir);
  try {
    const served: Record<string, Timing> = {};
    for (const page of PAGES) served[page] = await timeUrl(`${dashboard.url}${page}`);
    return served;
  } finally {
    await dashboard.stop();
  }
}

function pythonStatsMs(metricsFile: string): number | null {
  const run = spawnSync('python3', ['-c', PYTHON_STATS, metricsFile, String(PYTHON_ROUNDS)], { encoding: 'utf8' });
  if (run.status !== 0) {
    log(`[python] the stats SQL did not run: ${run.error?.message ?? run.stderr.trim()}`);
    return null;
  }
  return median(JSON.parse(run.stdout) as number[]);
}

async function loadRun(dataDir: string, keep: boolean, options: LoadOptions): Promise<LoadRun> {
  const dashboard = await startBenchDashboard(dataDir);
  const alone: LoadFigures[] = [];
  let peakRssBytes = 0;
  try {
    for (const page of LOAD_PAGES) await (await fetch(`${dashboard.url}${page}`)).text();
    for (const page of LOAD_PAGES) {
      log(`[load] ${options.connections} connections on ${page} for ${options.seconds} s`);
      alone.push(await load(dashboard.url, page, options));
    }
    peakRssBytes = procMemory(dashboard.pid, 'VmHWM');
  } finally {
    await dashboard.stop();
  }
  log('[load] the same while a writer serves searches');
  const forWriter = tenantForWriter(dataDir, keep);
  const writer = await runWithWriter(forWriter.dataDir, LOAD_PAGES, options).finally(() => forWriter.release());
  return {
    alone,
    peakRssBytes,
    withWriter: writer.load,
    withWriterPeakRssBytes: writer.peakRssBytes,
    writerAlonePerSec: writer.writerAlonePerSec,
    writerDuringPerSec: writer.writerDuringPerSec,
  };
}

async function measureSize(events: number, loadSize: number, options: LoadOptions): Promise<SizeResult> {
  const { dataDir, buildSeconds, keep } = benchTenant(events);
  const metricsFile = path.join(dataDir, 'metrics.db');
  try {
    const dashboard = await startBenchDashboard(dataDir, { DASHBOARD_READ_REUSE_MS: '0' });
    let asset: Timing;
    const pages: Record<string, Timing> = {};
    let idleRssBytes: number;
    try {
      log(`[${events}] pages, ${ROUNDS} requests each`);
      asset = await timeUrl(`${dashboard.url}${await staticAssetPath(dashboard.url)}`);
      for (const page of PAGES) pages[page] = await timeUrl(`${dashboard.url}${page}`);
      // Past the read threads' idle timeout (30 s), so the threads started for the run have ended.
      await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_MS));
      idleRssBytes = procMemory(dashboard.pid, 'VmRSS');
    } finally {
      await dashboard.stop();
    }
    log(`[${events}] the Python stats SQL`);
    const python = pythonStatsMs(metricsFile);
    const metricsBytes = fs.statSync(metricsFile).size;
    log(`[${events}] the recorder: ${RECORDER_CALLS.toLocaleString('en-US')} calls appended to a copy of metrics.db`);
    const recorderMicros = recorderMicrosPerCall(metricsFile);
    log(`[${events}] pages as served with sharing on, ${ROUNDS} requests each`);
    const served = await timePages(dataDir);
    const loaded = events === loadSize ? await loadRun(dataDir, keep, options) : null;
    return {
      events,
      buildSeconds,
      metricsBytes,
      asset,
      pages,
      served,
      pythonStatsMs: python,
      idleRssBytes,
      recorderMicrosPerCall: recorderMicros,
      load: loaded,
    };
  } finally {
    if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const ratio = (value: number): string => `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;

function printTable(results: readonly SizeResult[], options: LoadOptions): void {
  const header = ['measured', ...results.map((result) => `${result.events.toLocaleString('en-US')} calls`)];
  const rows: string[][] = [];
  const row = (label: string, cell: (result: SizeResult) => string): void => void rows.push([label, ...results.map(cell)]);
  row('static asset p50 / p95', (r) => `${ms(r.asset.p50)} / ${ms(r.asset.p95)}`);
  for (const page of PAGES) {
    row(`${page} rendered p50 / p95`, (r) => `${ms(r.pages[page]?.p50 ?? 0)} / ${ms(r.pages[page]?.p95 ?? 0)}`);
    row(`  ÷ static asset (p50), HTML size`, (r) => {
      const timing = r.pages[page];
      return `${ratio((timing?.p50 ?? 0) / r.asset.p50)}, ${((timing?.bytes ?? 0) / 1024).toFixed(0)} KB`;
    });
    row(`  served, pages shared: p50 / p95, ÷ static`, (r) => {
      const timing = r.served[page];
      return `${ms(timing?.p50 ?? 0)} / ${ms(timing?.p95 ?? 0)}, ${ratio((timing?.p50 ?? 0) / r.asset.p50)}`;
    });
  }
  row('Python stats SQL, 30d (python3)', (r) => (r.pythonStatsMs === null ? 'n/a' : ms(r.pythonStatsMs)));
  row('  ÷ our overview 30d (p50)', (r) =>
    r.pythonStatsMs === null ? 'n/a' : ratio(r.pythonStatsMs / (r.pages['/?range=30d']?.p50 ?? 1)),
  );
  row(`dashboard RSS, idle ${IDLE_WAIT_MS / 1000} s after the pages`, (r) => mb(r.idleRssBytes));
  row(`recorder per call, batches of ${RECORDER_BATCH}`, (r) => `${r.recorderMicrosPerCall.toFixed(0)} µs`);
  for (const page of LOAD_PAGES) {
    const figures = (list: readonly LoadFigures[] | undefined): string => {
      const found = list?.find((entry) => entry.page === page);
      return found
        ? `${found.requestsPerSec.toFixed(0)} req/s, p99 ${found.p99Ms} ms, ${found.timeouts} timed out, ${found.non2xx} non-2xx`
        : '';
    };
    row(`${page}, ${options.connections} connections ${options.seconds} s`, (r) => figures(r.load?.alone));
    row(`  while the writer serves searches`, (r) => figures(r.load?.withWriter));
  }
  row('dashboard peak RSS under load', (r) =>
    r.load ? `${mb(r.load.peakRssBytes)}; ${mb(r.load.withWriterPeakRssBytes)} with the writer` : '',
  );
  row('writer searches/s: alone → under load', (r) => {
    if (!r.load) return '';
    const change = (r.load.writerDuringPerSec / r.load.writerAlonePerSec - 1) * 100;
    return `${r.load.writerAlonePerSec.toFixed(0)} → ${r.load.writerDuringPerSec.toFixed(0)} (${change.toFixed(0)}%)`;
  });
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((line) => (line[column] ?? '').length)));
  const print = (line: readonly string[]): void =>
    console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | '));
  console.log(`\n== npm run bench: ${ROUNDS} requests per page after warm-up ==`);
  print(header);
  for (const line of rows) print(line);
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last && first !== last) {
    console.log(`\n== ratio: ${last.events.toLocaleString('en-US')} ÷ ${first.events.toLocaleString('en-US')} calls, p50 ==`);
    for (const page of PAGES)
      console.log(`${page.padEnd(32)}${ratio((last.pages[page]?.p50 ?? 0) / (first.pages[page]?.p50 || 1)).padStart(8)}`);
    console.log(
      `${'recorder per call'.padEnd(32)}${ratio(last.recorderMicrosPerCall / first.recorderMicrosPerCall).padStart(8)}`,
    );
  }
  for (const result of results)
    console.log(
      `tenant of ${result.events.toLocaleString('en-US')} calls: ${result.buildSeconds === null ? 'kept from an earlier run' : `built in ${result.buildSeconds.toFixed(0)} s`}, metrics.db ${mb(result.metricsBytes)}`,
    );
}

async function main(): Promise<void> {
  const sizes = sizesArg('bench', [100_000, 1_000_000, 10_000_000]);
  const options: LoadOptions = {
    seconds: wholeNumberArg('bench', 'seconds', 20),
    connections: wholeNumberArg('bench', 'connections', 50),
  };
  const loadSize = wholeNumberArg('bench', 'load-size', sizes.includes(1_000_000) ? 1_000_000 : (sizes[0] ?? 0));
  const results: SizeResult[] = [];
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  for (const events of sizes) {
    results.push(await measureSize(events, loadSize, options));
    // Written after every size, so a long run stopped early keeps what it measured.
    const finishedAt = results.length === sizes.length ? new Date().toISOString() : null;
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ finishedAt, rounds: ROUNDS, options, loadSize, results }, null, 2)}\n`);
  }
  printTable(results, options);
  console.log(`\nresults written to ${path.relative(ROOT, RESULTS_FILE)}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
