/**
 * Load benchmark: many viewers at once (autocannon, 50 connections by default) on the overview and
 * the query log of a tenant with 1M recorded calls, with the dashboard's shared page reads on
 * (DASHBOARD_READ_REUSE_MS, the default) and off, so that their part shows; the dashboard's peak and
 * idle memory; a single viewer's page time against a static asset of the same server; and a writer
 * serving searches, its searches per second alone and while the dashboard is under that load.
 *
 *   npm run bench:load
 *   npm run bench:load -- --events 100000 --seconds 10 --connections 50
 *
 * Prints tables and writes bench-results/load.json. Figures only: nothing here passes or fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildEventTenant, ROOT, startBenchDashboard, type BenchDashboard } from './dashboard-tenant';

const PAGES = ['/?range=30d', '/queries?range=30d'];
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'load.json');
const SINGLE_ROUNDS = 21;

interface Options {
  events: number;
  seconds: number;
  connections: number;
}

function wholeNumberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:load: --${name} takes a whole number above 0\n`);
    process.exit(2);
  }
  return value;
}

const log = (message: string): void => void process.stderr.write(`${message}\n`);

interface LoadFigures {
  page: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  timeouts: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, page: string, options: Options): Promise<LoadFigures> {
  const result = await autocannon({
    url: `${url}${page}`,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
  });
  return {
    page,
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    timeouts: result.timeouts,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** A figure of /proc/PID/status in bytes: VmRSS now, VmHWM the peak since the process started. */
function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function singleViewerMs(url: string): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < SINGLE_ROUNDS; round++) {
    const started = performance.now();
    await (await fetch(url)).arrayBuffer();
    samples.push(performance.now() - started);
    // A viewer reads the page before the next one: no answer of this request is shared with it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
  return median(samples);
}

/** One script the page loads, served by the same server: the floor a page is compared with. */
async function staticAssetPath(url: string): Promise<string> {
  const html = await (await fetch(`${url}/`)).text();
  const match = /\/_next\/static\/[^"']+\.js/.exec(html);
  if (!match) throw new Error('no static script found in the overview page');
  return match[0];
}

interface Mode {
  name: string;
  env: Record<string, string>;
  load: LoadFigures[];
  peakRssBytes: number;
  idleRssBytes: number;
}

async function runMode(dataDir: string, name: string, env: Record<string, string>, options: Options): Promise<Mode> {
  const dashboard = await startBenchDashboard(dataDir, env);
  try {
    for (const page of PAGES) for (let round = 0; round < 3; round++) await (await fetch(`${dashboard.url}${page}`)).text();
    const figures: LoadFigures[] = [];
    for (const page of PAGES) {
      log(`[${name}] ${options.connections} connections on ${page} for ${options.seconds} s`);
      figures.push(await load(dashboard.url, page, options));
    }
    const peakRssBytes = procMemory(dashboard.pid, 'VmHWM');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return { name, env, load: figures, peakRssBytes, idleRssBytes: procMemory(dashboard.pid, 'VmRSS') };
  } finally {
    await dashboard.stop();
  }
}

interface WriterProcess {
  child: ChildProcess;
  /** Searches per second, one entry per second since the writer was ready. */
  seconds: number[];
}

async function startWriter(dataDir: string): Promise<WriterProcess> {
  const tsxCli = createRequire(path.join(ROOT, 'package.json')).resolve('tsx/cli');
  const child = spawn(process.execPath, [tsxCli, path.join(ROOT, 'bench', 'writer-searches.ts'), dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const writer: WriterProcess = { child, seconds: [] };
  await new Promise<void>((resolve, reject) => {
    let ready = false;
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          ready = true;
          resolve();
        } else if (ready) writer.seconds.push(Number(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`the writer exited ${code}`)));
  });
  return writer;
}

/** The writer's mean searches per second over the seconds that `during` took. */
async function writerRate(writer: WriterProcess, during: () => Promise<unknown>): Promise<number> {
  const first = writer.seconds.length + 1; // the second already under way is partial
  await during();
  const counted = writer.seconds.slice(first);
  return counted.reduce((sum, value) => sum + value, 0) / Math.max(1, counted.length);
}

interface WithWriter {
  writerAlonePerSec: number;
  writerDuringPerSec: number;
  load: LoadFigures[];
  peakRssBytes: number;
}

async function runWithWriter(dataDir: string, options: Options): Promise<WithWriter> {
  const writer = await startWriter(dataDir);
  let dashboard: BenchDashboard | null = null;
  try {
    dashboard = await startBenchDashboard(dataDir);
    const url = dashboard.url;
    for (const page of PAGES) await (await fetch(`${url}${page}`)).text();
    log(`[writer] searches per second alone for ${options.seconds} s`);
    const writerAlonePerSec = await writerRate(
      writer,
      () => new Promise((resolve) => setTimeout(resolve, options.seconds * 1000)),
    );
    const figures: LoadFigures[] = [];
    let writerDuringPerSec = 0;
    for (const page of PAGES) {
      log(`[writer] ${options.connections} connections on ${page} while the writer searches`);
      const rate = await writerRate(writer, async () => figures.push(await load(url, page, options)));
      writerDuringPerSec += rate / PAGES.length;
    }
    return { writerAlonePerSec, writerDuringPerSec, load: figures, peakRssBytes: procMemory(dashboard.pid, 'VmHWM') };
  } finally {
    await dashboard?.stop();
    await new Promise<void>((resolve) => (writer.child.once('exit', () => resolve()), writer.child.kill('SIGTERM')));
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function printLoad(title: string, figures: readonly LoadFigures[]): void {
  console.log(`\n== ${title} ==`);
  console.log(
    `${'page'.padEnd(22)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'timeouts'.padStart(10)}${'errors'.padStart(8)}${'non-2xx'.padStart(9)}`,
  );
  for (const row of figures) {
    console.log(
      `${row.page.padEnd(22)}${row.requestsPerSec.toFixed(1).padStart(8)}${String(row.p50Ms).padStart(9)}${String(row.p99Ms).padStart(9)}` +
        `${String(row.timeouts).padStart(10)}${String(row.errors).padStart(8)}${String(row.non2xx).padStart(9)}`,
    );
  }
}

async function main(): Promise<void> {
  const options: Options = {
    events: wholeNumberArg('events', 1_000_000),
    seconds: wholeNumberArg('seconds', 20),
    connections: wholeNumberArg('connections', 50),
  };
  log(`[load] recording ${options.events.toLocaleString('en-US')} calls through the writer's recorder`);
  const dataDir = buildEventTenant(options.events);
  try {
    const single = await startBenchDashboard(dataDir);
    let singleViewer: Array<{ page: string; ms: number }>;
    try {
      const asset = await staticAssetPath(single.url);
      log('[single] one viewer: page and static asset medians');
      singleViewer = [];
      for (const page of [asset, ...PAGES]) singleViewer.push({ page, ms: await singleViewerMs(`${single.url}${page}`) });
    } finally {
      await single.stop();
    }
    const modes = [
      await runMode(dataDir, 'shared reads on', {}, options),
      await runMode(dataDir, 'shared reads off', { DASHBOARD_READ_REUSE_MS: '0' }, options),
    ];
    const withWriter = await runWithWriter(dataDir, options);

    const assetMs = singleViewer[0]?.ms ?? 0;
    console.log(`\n== one viewer, ${options.events.toLocaleString('en-US')} calls: median of ${SINGLE_ROUNDS} requests ==`);
    for (const row of singleViewer) {
      const ratio = row === singleViewer[0] ? 'the static asset' : `${(row.ms / assetMs).toFixed(1)}× the static asset`;
      console.log(`${row.page.slice(0, 60).padEnd(62)}${row.ms.toFixed(1).padStart(8)} ms   ${ratio}`);
    }
    for (const mode of modes) {
      printLoad(`${options.connections} connections for ${options.seconds} s, ${mode.name}`, mode.load);
      console.log(`dashboard RSS: peak ${mb(mode.peakRssBytes)}, idle 5 s after ${mb(mode.idleRssBytes)}`);
    }
    printLoad(`the same, shared reads on, while a writer serves searches`, withWriter.load);
    const change = (withWriter.writerDuringPerSec / withWriter.writerAlonePerSec - 1) * 100;
    console.log(
      `writer searches/s: ${withWriter.writerAlonePerSec.toFixed(0)} alone, ${withWriter.writerDuringPerSec.toFixed(0)} during the load (${change.toFixed(0)}%); dashboard peak RSS ${mb(withWriter.peakRssBytes)}`,
    );
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ options, singleViewer, modes, withWriter }, null, 2)}\n`);
    log(`[load] wrote ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:load failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
