/**
 * The recorder's cost per call on a tenant of a given size: calls appended as a busy writer records
 * them (now, from a few current sessions, in batches of 25: 100 calls/s at the 250 ms flush), to a
 * copy of the tenant's metrics.db, so that the kept tenant is left as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom, pick } from '../lib/engine/demo/random';
import { TelemetryRecorder } from '../lib/engine/telemetry/recorder';
import { openStoreForWriting } from '../lib/store/open-writer';
import { BENCH_PROJECT, BENCH_QUERIES } from './dashboard-tenant';

export const RECORDER_CALLS = 30_000;
export const RECORDER_BATCH = 25;
/** Calls per session: a session is an agent's conversation, its calls close together in time. */
const SESSION_CALLS = 200;

/** Copies `file` and writes the copy to disk, so the kernel's write-back of the copy is not timed. */
function durableCopy(file: string, to: string): void {
  fs.copyFileSync(file, to);
  const fd = fs.openSync(to, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Microseconds per call for RECORDER_CALLS calls appended to a copy of `metricsFile`. */
export function recorderMicrosPerCall(metricsFile: string): number {
  const dir = fs.mkdtempSync(path.join(path.dirname(metricsFile), '.recorder-cost-'));
  const copy = path.join(dir, 'metrics.db');
  try {
    durableCopy(metricsFile, copy);
    const db = openStoreForWriting('metrics', copy);
    try {
      const recorder = new TelemetryRecorder(db, BENCH_PROJECT, 3_600_000, RECORDER_BATCH);
      const random = seededRandom(99);
      const start = Date.now();
      const started = performance.now();
      for (let index = 0; index < RECORDER_CALLS; index++) {
        recorder.recordCall({
          at: new Date(start + index * 10),
          tool: 'hydra_search_tool',
          sessionId: `live-${Math.floor(index / SESSION_CALLS)}`,
          latencyMs: Math.exp(random() * 5),
          tokensInjected: Math.floor(random() * 2000),
          tokensBaseline: Math.floor(random() * 9000),
          chunksTotal: 8,
          metadata: {},
          error: null,
          query: {
            userId: `u${Math.floor(random() * 50)}`,
            memoryId: null,
            query: pick(random, BENCH_QUERIES),
            resultCount: 8,
            topScore: 0.03,
            chunkIds: [],
            entityIds: [],
          },
        });
      }
      recorder.close();
      return ((performance.now() - started) * 1000) / RECORDER_CALLS;
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
