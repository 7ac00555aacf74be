import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStarts } from '../lib/charts/time-buckets';
import type { ReadScope } from '../lib/read/read-model';
import { closeReadPool, readInWorker } from '../lib/request/read-pool';
import { parseQueryLogFilters } from '../lib/request/query-log-filters';
import { parseRange } from '../lib/request/range';
import { runRead } from '../lib/request/run-read';
import { SLOW_TEXT, tempDir, writeBigQueryLog } from './helpers';

// A tenant whose query log is big enough that a text search over it takes far longer than a small
// budget (about 2 s on this machine, against a budget of 150 ms).
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ range: '90d' }, NOW);
const scope: ReadScope = { project: 'big', from: range.from, to: range.to, buckets: bucketStarts(range) };
let dataDir: string;
let files: { metrics: string; graph: string };

beforeAll(() => {
  dataDir = tempDir('hydramem-read-path-');
  files = { metrics: path.join(dataDir, 'metrics.db'), graph: path.join(dataDir, 'graph.db') };
  writeBigQueryLog(dataDir, 'big', 250_000, '2026-11-19T00:00:00');
}, 120_000);

afterAll(async () => {
  await closeReadPool();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('reads off the event loop, under a time budget', () => {
  it('stops a read over budget and says so, while other reads and the event loop go on', async () => {
    const slowFilters = parseQueryLogFilters({ q: SLOW_TEXT });
    let ticks = 0;
    const ticker = setInterval(() => void ticks++, 10);
    const started = performance.now();
    const slow = readInWorker({ name: 'queryLog', scope, args: slowFilters, role: 'admin', files }, 150);
    const quick = readInWorker({ name: 'queryTools', scope, args: undefined, role: 'admin', files }, 5000);
    const [slowResult, quickResult] = await Promise.all([slow, quick]);
    const elapsed = performance.now() - started;
    clearInterval(ticker);
    expect(slowResult).toEqual({ ok: false, kind: 'budget', budgetMs: 150 });
    expect(quickResult.ok).toBe(true);
    // The event loop was free: the 10 ms timer kept firing while the slow read ran.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 10 / 3));
    // The same read with room to finish gives the real answer, from a replacement worker.
    const full = await readInWorker(
      { name: 'queryLog', scope, args: parseQueryLogFilters({ q: 'number 249999 ' }), role: 'admin', files },
      60_000,
    );
    expect(full).toMatchObject({ ok: true, data: { count: 1 } });
  }, 120_000);

  it('a store damaged inside, found while reading, is that store’s problem with its explanation', () => {
    const damaged = path.join(tempDir('hydramem-damaged-'), 'metrics.db');
    fs.copyFileSync(files.metrics, damaged);
    const size = fs.statSync(damaged).size;
    const fd = fs.openSync(damaged, 'r+');
    // Keep the header and schema page, scribble over a stretch in the middle of the file.
    fs.writeSync(fd, Buffer.alloc(1024 * 1024, 0x5a), 0, 1024 * 1024, Math.floor(size / 2));
    fs.closeSync(fd);
    const result = runRead({
      name: 'queryLog',
      scope,
      // A text filter that matches nothing reads every row, so the damaged pages are reached.
      args: parseQueryLogFilters({ q: SLOW_TEXT }),
      role: 'admin',
      files: { ...files, metrics: damaged },
    });
    expect(result).toMatchObject({ ok: false, kind: 'store', problem: { store: 'metrics', problem: 'corrupt' } });
    if (!result.ok && result.kind === 'store') expect(result.problem.hint).toMatch(/backup/);
  });

  it('a store a read may do without comes back as its problem; one it needs fails the read', () => {
    const missing = { ...files, graph: path.join(dataDir, 'nothing-here.db') };
    const health = runRead({ name: 'writerHealth', scope, args: undefined, role: 'admin', files: missing });
    expect(health).toMatchObject({ ok: true, data: { graphVersion: null, graphProblem: null } });
    const totals = runRead({ name: 'graphTotals', scope, args: { user: null, memory: null }, role: 'admin', files: missing });
    expect(totals).toMatchObject({ ok: false, kind: 'store', problem: { store: 'graph', problem: 'missing' } });
    const status = runRead({ name: 'storeStatus', scope, args: undefined, role: 'support', files: missing });
    expect(status).toMatchObject({
      ok: true,
      data: [
        { store: 'metrics', ok: true },
        { store: 'graph', ok: false, problem: { problem: 'missing' } },
      ],
    });
  });
});
