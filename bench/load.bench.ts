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
import fs from 'node:fs';
import path from 'node:path';
import { buildEventTenant, ROOT, startBenchDashboard } from './dashboard-tenant';
import {
  load,
  log,
  mb,
  median,
  printLoad,
  procMemory,
  runWithWriter,
  staticAssetPath,
  wholeNumberArg,
  type LoadFigures,
  type LoadOptions,
} from './load-parts';

const PAGES = ['/?range=30d', '/queries?range=30d'];
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'load.json');
const SINGLE_ROUNDS = 21;

interface Options extends LoadOptions {
  events: number;
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

async function main(): Promise<void> {
  const options: Options = {
    events: wholeNumberArg('bench:load', 'events', 1_000_000),
    seconds: wholeNumberArg('bench:load', 'seconds', 20),
    connections: wholeNumberArg('bench:load', 'connections', 50),
  };
  log(`[load] recording ${options.events.toLocaleString('en-US')} calls through the writer's recorder`);
  const dataDir = buildEventTenant(options.events, { fast: true });
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
    const withWriter = await runWithWriter(dataDir, PAGES, options);

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
