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
 * The worker threads that run every read. Two stay started (a thread takes about 170 ms to load
 * SQLite and the read models, too long to start one per request), more start under load up to
 * DASHBOARD_READ_THREADS and end after 30 s without work.
 */
function readPool(): ReadPool {
  const { readThreads } = dashboardSettings();
  holder[POOL] ??= new Piscina({
    filename: workerFile(),
    minThreads: Math.min(2, readThreads),
    maxThreads: readThreads,
    idleTimeout: 30_000,
  });
  return holder[POOL];
}

/** Starts the pool's threads now, so that the first page does not wait for them. */
export function startReadPool(): void {
  readPool();
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Runs a read in a worker thread within the time budget, counted from now (waiting for a free
 * thread included). Over budget, the read is stopped (a running one by ending its thread, which
 * the pool replaces) and the result says so. SQLite finishes the statement it is in before the
 * thread ends; the event loop is free all the while.
 */
export async function readInWorker<Name extends ReadName>(
  task: ReadTask<Name>,
  budgetMs: number,
): Promise<ReadResult<Revealed<ReadData<Name>>>> {
  try {
    return (await readPool().run(task, { signal: AbortSignal.timeout(budgetMs) })) as ReadResult<Revealed<ReadData<Name>>>;
  } catch (error) {
    if (isAbort(error)) return { ok: false, kind: 'budget', budgetMs };
    throw error;
  }
}

/** Ends the worker threads (tests and a stopping server). */
export async function closeReadPool(): Promise<void> {
  const current = holder[POOL];
  delete holder[POOL];
  await current?.destroy();
}
