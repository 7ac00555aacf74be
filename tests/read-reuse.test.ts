import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { parseRange } from '../lib/request/range';
import { closeReadPool } from '../lib/request/read-pool';
import type { ReadResult } from '../lib/request/read-result';
import { forgetSharedReads, sharedRead } from '../lib/request/read-reuse';
import { readerFor } from '../lib/request/reader';
import { bucketStarts } from '../lib/charts/time-buckets';
import { makeTenant, openEngine, tempDir } from './helpers';

// Page reads shared between requests: counted by the test's own run function over real files, and
// through the real read workers against a writer that commits between reads.
afterEach(() => forgetSharedReads());
afterAll(async () => {
  await closeReadPool();
});

function storeFiles(): { metrics: string; graph: string } {
  const dir = tempDir('hydramem-reuse-');
  const files = { metrics: path.join(dir, 'metrics.db'), graph: path.join(dir, 'graph.db') };
  for (const file of Object.values(files)) fs.writeFileSync(file, 'x');
  return files;
}

/** A read that counts its runs and answers with the run's number. */
function countingRead(answer: (run: number) => ReadResult<number> = (run) => ({ ok: true, data: run })) {
  let runs = 0;
  return {
    runs: () => runs,
    run: async (): Promise<ReadResult<number>> => {
      runs += 1;
      const number = runs;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return answer(number);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shared page reads', () => {
  it('runs a read asked by many requests at once a single time, and gives each the same answer', async () => {
    const files = storeFiles();
    const read = countingRead();
    const answers = await Promise.all(Array.from({ length: 50 }, () => sharedRead('k', files, 1000, read.run)));
    expect(read.runs()).toBe(1);
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ ok: true, data: 1 })]));
    expect(await sharedRead('k', files, 1000, read.run)).toEqual({ ok: true, data: 1 });
    expect(read.runs()).toBe(1);
    // Another key is another read.
    expect(await sharedRead('other', files, 1000, read.run)).toEqual({ ok: true, data: 2 });
  });

  it('reads again once a store or its WAL has changed', async () => {
    const files = storeFiles();
    const read = countingRead();
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 1 });
    fs.writeFileSync(`${files.metrics}-wal`, 'a commit');
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 2 });
    fs.appendFileSync(files.graph, 'checkpointed');
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 3 });
    fs.rmSync(`${files.metrics}-wal`);
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 4 });
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 4 });
  });

  it("shares across a WAL's ctime moving alone, as a root reader's open moves it, but not across its owner changing", async () => {
    const files = storeFiles();
    const wal = `${files.metrics}-wal`;
    fs.writeFileSync(wal, '');
    const read = countingRead();
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 1 });
    const before = fs.statSync(wal);
    await sleep(20);
    // SQLite chowns the WAL to the database's owner on each open under root: the same owner again.
    fs.chownSync(wal, before.uid, before.gid);
    expect(fs.statSync(wal).ctimeMs).toBeGreaterThan(before.ctimeMs);
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 1 });
    if (process.getuid?.() === 0) {
      fs.chownSync(wal, 65534, 65534);
      expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 2 });
    }
    fs.chmodSync(wal, 0o600);
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 3 });
  });

  it('reads again after reuseMs, and every time with 0', async () => {
    const files = storeFiles();
    const read = countingRead();
    await sharedRead('k', files, 100, read.run);
    await sharedRead('k', files, 100, read.run);
    expect(read.runs()).toBe(1);
    await sleep(150);
    await sharedRead('k', files, 100, read.run);
    expect(read.runs()).toBe(2);
    await Promise.all([sharedRead('z', files, 0, read.run), sharedRead('z', files, 0, read.run)]);
    expect(read.runs()).toBe(4);
  });

  it('keeps no failure: a read over budget or a store problem is asked again by the next request', async () => {
    const files = storeFiles();
    const read = countingRead((run) => (run === 1 ? { ok: false, kind: 'budget', budgetMs: 5 } : { ok: true, data: run }));
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: false, kind: 'budget', budgetMs: 5 });
    expect(await sharedRead('k', files, 60_000, read.run)).toEqual({ ok: true, data: 2 });
    const failing = sharedRead('thrown', files, 60_000, () => Promise.reject(new Error('worker gone')));
    await expect(failing).rejects.toThrow('worker gone');
    expect(await sharedRead('thrown', files, 60_000, read.run)).toEqual({ ok: true, data: 3 });
  });
});

describe('a page reader over a running writer', () => {
  let engine: Engine | null = null;
  afterEach(() => {
    engine?.close();
    engine = null;
  });

  it('shares a read between requests and sees the next commit of the writer at once', async () => {
    const tenant = makeTenant('reuse');
    engine = openEngine(tenant);
    const record = (at: Date) =>
      engine?.recorder.recordCall({
        at,
        tool: 'remember',
        sessionId: null,
        latencyMs: 3,
        tokensInjected: 0,
        tokensBaseline: 0,
        chunksTotal: 0,
        metadata: {},
        error: null,
      });
    const first = new Date(Date.now() - 60_000);
    record(first);
    engine.recorder.flush();
    // A fixed window, as a shared link or a report has: only the stores can change its answer.
    const range = parseRange(
      { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
      new Date(),
    );
    const scope = { project: 'reuse', from: range.from, to: range.to, buckets: bucketStarts(range) };
    // The newest event's time, as an instant (the store writes it the Python way, +00:00).
    const newest = async () => {
      const result = await readerFor(tenant.config, scope, 'admin', { shared: true })('dataAsOf');
      return result.ok && result.data ? new Date(result.data).getTime() : result;
    };
    expect(await newest()).toBe(first.getTime());
    const second = new Date(Date.now() - 30_000);
    record(second);
    engine.recorder.flush();
    expect(await newest()).toBe(second.getTime());
    expect(await newest()).toBe(second.getTime());
  });
});
