import fs from 'node:fs';
import type { ReadScope, StoreProblemInfo } from '../read/read-model';
import type { StoreName } from '../store/errors';
import { classifyStoreError } from '../store/errors';
import { readInWorker } from './read-pool';
import type { ReadResult } from './read-result';

/**
 * Damage a store's header does not show: found by a read that hit a damaged page, or by the
 * background `quick_check`. Remembered for the file as it is (device, inode, size, mtime), so
 * `/readyz` says 503 until the file is replaced or repaired, and forgets it as soon as it changes:
 * the dashboard recovers without a restart. Kept on globalThis, like the read pool, so the
 * command line and Next's bundles share it.
 */
interface Damage {
  problem: StoreProblemInfo;
  identity: string;
}

interface StoreHealthState {
  damage: Map<string, Damage>;
  /** The file (device and inode) each store was last checked as, so a replaced file is checked soon. */
  checked: Map<string, string>;
  running: Set<string>;
}

const STATE = Symbol.for('hydramem.store-health');
const holder = globalThis as { [STATE]?: StoreHealthState };

function state(): StoreHealthState {
  holder[STATE] ??= { damage: new Map(), checked: new Map(), running: new Set() };
  return holder[STATE];
}

/** The file as it is now (with `content: false`, which file it is); null when it does not exist. */
export function fileIdentity(file: string, content = true): string | null {
  try {
    const stat = fs.statSync(file);
    // ctime and mode too: a chmod changes neither size nor mtime, and can make the file unreadable.
    return content
      ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.mode}`
      : `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}

function markDamaged(problem: StoreProblemInfo): void {
  const identity = fileIdentity(problem.file);
  if (identity) state().damage.set(problem.file, { problem, identity });
}

/** Called with every read's outcome: a store found damaged while reading is remembered. */
export function noteReadOutcome(result: ReadResult<unknown>): void {
  if (!result.ok && result.kind === 'store' && result.problem.problem === 'corrupt') markDamaged(result.problem);
}

/** The damage known for the file as it is now, or null (forgotten once the file has changed). */
export function knownDamage(file: string): StoreProblemInfo | null {
  const { damage } = state();
  const known = damage.get(file);
  if (!known) return null;
  if (known.identity === fileIdentity(file)) return known.problem;
  damage.delete(file);
  return null;
}

/** How long a check may run: quick_check reads every page (about 1.6 s for a 1.3 GB store here). */
const CHECK_BUDGET_MS = 10 * 60_000;

const CHECK_SCOPE: ReadScope = { project: '', from: new Date(0), to: new Date(0), buckets: [] };

/** Runs quick_check on one store in a read worker and records what it found. Never throws. */
export async function checkStoreIntegrity(store: StoreName, files: Record<StoreName, string>): Promise<void> {
  const file = files[store];
  const { running, checked, damage } = state();
  if (running.has(file)) return;
  running.add(file);
  const identity = fileIdentity(file, false);
  try {
    const result = await readInWorker(
      { name: 'storeIntegrity', scope: CHECK_SCOPE, args: { store }, role: 'support', files },
      CHECK_BUDGET_MS,
    );
    if (identity) checked.set(file, identity);
    if (!result.ok) {
      noteReadOutcome(result);
      return;
    }
    if (result.data.ok === true) damage.delete(file);
    else if (result.data.ok === false) {
      const error = classifyStoreError(store, file, { code: 'SQLITE_CORRUPT', message: `quick_check: ${result.data.detail}` });
      markDamaged({ store, problem: error.problem, file, message: error.message, hint: error.hint });
    }
  } catch (error) {
    process.stderr.write(`hydramem dashboard: integrity check of ${file} failed: ${String(error)}\n`);
  } finally {
    running.delete(file);
  }
}

/**
 * Checks a store again when it is another file than the one last checked (a restored backup, a new
 * store). Not on every write: a writer changes the file all the time, and the check reads all of it.
 */
export async function recheckIfReplaced(store: StoreName, files: Record<StoreName, string>): Promise<void> {
  const identity = fileIdentity(files[store], false);
  if (identity && state().checked.get(files[store]) !== identity) await checkStoreIntegrity(store, files);
}

/** Checks both stores now and then every `everyMs`; the timer does not keep the process alive. */
export function startIntegritySweep(files: Record<StoreName, string>, everyMs: number): () => void {
  const sweep = (): void => {
    void checkStoreIntegrity('metrics', files).then(() => checkStoreIntegrity('graph', files));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
