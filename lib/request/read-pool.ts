import path from 'node:path';
import Piscina from 'piscina';
import type { ReadData, ReadName } from '../read/registry';
import type { Revealed } from '../read/sensitive';
import { dashboardSettings, READ_WORKER_ENV } from './dashboard-settings';
import type { ReadResult } from './read-result';
import type { ReadTask } from './run-read';

let pool: Piscina<ReadTask, ReadResult<unknown>> | null = null;

function workerFile(): string {
  return process.env[READ_WORKER_ENV] ?? path.join(/* turbopackIgnore: true */ process.cwd(), 'dist', 'read-worker.cjs');
}

/** The worker threads that run every read; one stays ready when idle, more start under load. */
function readPool(): Piscina<ReadTask, ReadResult<unknown>> {
  pool ??= new Piscina({
    filename: workerFile(),
    minThreads: 1,
    maxThreads: dashboardSettings().readThreads,
    idleTimeout: 30_000,
  });
  return pool;
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
  const current = pool;
  pool = null;
  await current?.destroy();
}
