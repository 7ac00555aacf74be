import path from 'node:path';
import Piscina from 'piscina';
import type { ReadData, ReadName } from '../read/registry';
import type { Revealed } from '../read/sensitive';
import { dashboardSettings, READ_WORKER_ENV } from './dashboard-settings';
import type { ReadResult } from './read-result';
import type { ReadTask } from './run-read';

type ReadPool = Piscina<ReadTask, ReadResult<unknown>>;

/**
 * One pool per process, kept on globalThis: the command line starts it before Next loads, and Next's
 * bundles (which hold their own copy of this module) find it there.
 */
const POOL = Symbol.for('hydramem.read-pool');
const holder = globalThis as { [POOL]?: ReadPool };

function workerFile(): string {
  return process.env[READ_WORKER_ENV] ?? path.join(/* turbopackIgnore: true */ process.cwd(), 'dist', 'read-worker.cjs');
}

/**
 * The worker threads that run every read. They start as reads come, up to DASHBOARD_READ_THREADS,
 * and serve read after read (a thread takes about 170 ms to load SQLite and the read models, too
 * long to start one per request); each ends after 30 s without work, so that an idle dashboard
 * holds none (15–25 MB each). The first page after a quiet spell waits for a thread to start.
 */
function readPool(): ReadPool {
  const { readThreads } = dashboardSettings();
  holder[POOL] ??= new Piscina({
    filename: workerFile(),
    minThreads: 0,
    maxThreads: readThreads,
    idleTimeout: 30_000,
    // A read's objects live only as long as the read: a small young generation is enough, and an
    // idle thread then holds a few MB rather than V8's default 32 (the dashboard's memory target).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  return holder[POOL];
}

/** Makes the pool now, before Next loads (its threads start with the first reads). */
export function startReadPool(): void {
  readPool();
}

/**
 * Runs a read in a worker thread within the time budget, counted from now (waiting for a free
 * thread included). Over budget, the result says so at once and the read is told to stop: it
 * ends before its next statement (SQLite cannot be stopped inside one), and the event loop is
 * free all the while. A read still queued then returns without opening anything.
 */
export async function readInWorker<Name extends ReadName>(
  task: ReadTask<Name>,
  budgetMs: number,
): Promise<ReadResult<Revealed<ReadData<Name>>>> {
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const running = readPool().run({ ...task, cancel });
  let timer: NodeJS.Timeout | undefined;
  const overBudget = new Promise<'over budget'>((resolve) => {
    timer = setTimeout(() => resolve('over budget'), budgetMs);
  });
  try {
    const outcome = await Promise.race([running, overBudget]);
    if (outcome !== 'over budget') return outcome as ReadResult<Revealed<ReadData<Name>>>;
    Atomics.store(cancel, 0, 1);
    running.catch(() => {}); // its answer, or its failure, no longer matters to anyone
    return { ok: false, kind: 'budget', budgetMs };
  } finally {
    clearTimeout(timer);
  }
}

/** Ends the worker threads (tests and a stopping server). */
export async function closeReadPool(): Promise<void> {
  const current = holder[POOL];
  delete holder[POOL];
  await current?.destroy();
}
