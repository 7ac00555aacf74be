/**
 * What the load benchmarks share: autocannon on a page, a process's memory from /proc, a static
 * asset of the dashboard to compare pages with, and a writer serving searches whose rate is
 * counted while the dashboard is under load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { dashboardNice, ROOT, startBenchDashboard, type BenchDashboard } from './dashboard-tenant';

export interface LoadOptions {
  seconds: number;
  connections: number;
}

/** The whole number after `--name` on the command line, or `fallback`; anything else ends `bench` with a message. */
export function wholeNumberArg(bench: string, name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`${bench}: --${name} takes a whole number above 0\n`);
    process.exit(2);
  }
  return value;
}

/** The tenant sizes after `--sizes` (comma-separated whole numbers), or `fallback`. */
export function sizesArg(bench: string, fallback: number[]): number[] {
  const index = process.argv.indexOf('--sizes');
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (!value) return fallback;
  const sizes = value.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    process.stderr.write(`${bench}: --sizes takes whole numbers, e.g. --sizes 10000,100000\n`);
    process.exit(2);
  }
  return sizes;
}

export const log = (message: string): void => void process.stderr.write(`${message}\n`);

export interface LoadFigures {
  page: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  timeouts: number;
  errors: number;
  non2xx: number;
}

/**
 * autocannon on `url + page`, run as its own process at the dashboard's CPU priority: the viewers'
 * browsers are on other machines, so the load they make must not take CPU from the dashboard or the
 * writer (at Nice 0 it would get ten times the dashboard's share of a busy core).
 */
export async function load(url: string, page: string, options: LoadOptions): Promise<LoadFigures> {
  const cli = createRequire(path.join(ROOT, 'package.json')).resolve('autocannon/autocannon.js');
  const args = ['-c', String(options.connections), '-d', String(options.seconds), '-t', '10', '-j', `${url}${page}`];
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const child = spawn('nice', ['-n', String(dashboardNice()), process.execPath, cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as AutocannonResult);
      else reject(new Error(`autocannon exited ${code}: ${stderr.trim()}`));
    });
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

/** The fields of autocannon's JSON result that the benches read. */
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  timeouts: number;
  errors: number;
  non2xx: number;
}

/** A figure of /proc/PID/status in bytes: VmRSS now, VmHWM the peak since the process started. */
export function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The value below which a share `q` of `values` lies (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** One script the page loads, served by the same server: the floor a page is compared with. */
export async function staticAssetPath(url: string): Promise<string> {
  const html = await (await fetch(`${url}/`)).text();
  const match = /\/_next\/static\/[^"']+\.js/.exec(html);
  if (!match) throw new Error('no static script found in the overview page');
  return match[0];
}

export interface WriterProcess {
  child: ChildProcess;
  /** Searches per second, one entry per second since the writer was ready. */
  seconds: number[];
}

export async function startWriter(dataDir: string): Promise<WriterProcess> {
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
export async function writerRate(writer: WriterProcess, during: () => Promise<unknown>): Promise<number> {
  const first = writer.seconds.length + 1; // the second already under way is partial
  await during();
  const counted = writer.seconds.slice(first);
  return counted.reduce((sum, value) => sum + value, 0) / Math.max(1, counted.length);
}

export interface WithWriter {
  writerAlonePerSec: number;
  writerDuringPerSec: number;
  load: LoadFigures[];
  peakRssBytes: number;
}

/** `pages` under load while a writer serves searches on the same tenant, and the writer's rate alone and during. */
export async function runWithWriter(dataDir: string, pages: readonly string[], options: LoadOptions): Promise<WithWriter> {
  const writer = await startWriter(dataDir);
  let dashboard: BenchDashboard | null = null;
  try {
    dashboard = await startBenchDashboard(dataDir);
    const url = dashboard.url;
    for (const page of pages) await (await fetch(`${url}${page}`)).text();
    log(`[writer] searches per second alone for ${options.seconds} s`);
    const writerAlonePerSec = await writerRate(
      writer,
      () => new Promise((resolve) => setTimeout(resolve, options.seconds * 1000)),
    );
    const figures: LoadFigures[] = [];
    let writerDuringPerSec = 0;
    for (const page of pages) {
      log(`[writer] ${options.connections} connections on ${page} while the writer searches`);
      const rate = await writerRate(writer, async () => figures.push(await load(url, page, options)));
      writerDuringPerSec += rate / pages.length;
    }
    return { writerAlonePerSec, writerDuringPerSec, load: figures, peakRssBytes: procMemory(dashboard.pid, 'VmHWM') };
  } finally {
    await dashboard?.stop();
    await new Promise<void>((resolve) => (writer.child.once('exit', () => resolve()), writer.child.kill('SIGTERM')));
  }
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function printLoad(title: string, figures: readonly LoadFigures[]): void {
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
