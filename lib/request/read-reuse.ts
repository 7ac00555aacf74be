import fs from 'node:fs';
import type { StoreName } from '../store/errors';
import type { ReadResult } from './read-result';
import { fileIdentity } from './store-health';

/**
 * Page reads shared between requests: the same read (name, scope, arguments, role) asked again
 * while neither store has changed is answered from the first one, and a read asked while the same
 * one is running waits for it instead of running twice. So fifty viewers of one page cost one read
 * per widget, not fifty.
 *
 * An answer is reused for at most `reuseMs` (DASHBOARD_READ_REUSE_MS, 1 s by default) and never
 * once either store file or its WAL has changed (device, inode, size, mtime, mode; the files' ctime,
 * the WALs' owner): a commit by the writer always writes the WAL. A lock another process takes changes no file: pages show it
 * at most `reuseMs` later. Only answers with data are kept: a store problem or a read over budget is
 * asked again by the next request. Kept on globalThis, like the read pool, so the command line and
 * Next's bundles share it.
 */
interface Entry {
  /** The stores as they were when the read started. */
  stores: string;
  startedAt: number;
  answer: Promise<ReadResult<unknown>>;
}

/** Enough for every widget of every page in a few scopes; the oldest goes first. */
const MAX_ENTRIES = 500;

const REUSE = Symbol.for('hydramem.read-reuse');
const holder = globalThis as { [REUSE]?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  holder[REUSE] ??= new Map();
  return holder[REUSE];
}

/**
 * A WAL as it is now, without its ctime: SQLite chowns a WAL to its database's owner each time a
 * process running as root opens it, so under root every read moves the ctime and nothing else. Its
 * owner stands in for what ctime would show; content changes move its size or mtime.
 */
function walIdentity(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.mode}:${stat.uid}:${stat.gid}`;
  } catch {
    return null;
  }
}

/** Both stores and their WALs as they are now: a commit by the writer changes it. */
export function storesIdentity(files: Record<StoreName, string>): string {
  return [
    fileIdentity(files.metrics),
    walIdentity(`${files.metrics}-wal`),
    fileIdentity(files.graph),
    walIdentity(`${files.graph}-wal`),
  ]
    .map((identity) => identity ?? '-')
    .join('|');
}

/** Drops, oldest first, the answers started before `before`, and any beyond MAX_ENTRIES. */
function forgetOld(map: Map<string, Entry>, before: number): void {
  for (const [key, entry] of map) {
    if (entry.startedAt >= before && map.size <= MAX_ENTRIES) return;
    map.delete(key);
  }
}

/**
 * The answer of `run` for `key`, shared as described above. `key` must name everything the answer
 * depends on apart from the stores (the read, its scope and arguments, the viewer's role).
 */
export function sharedRead<Data>(
  key: string,
  files: Record<StoreName, string>,
  reuseMs: number,
  run: () => Promise<ReadResult<Data>>,
): Promise<ReadResult<Data>> {
  if (reuseMs <= 0) return run();
  const map = entries();
  const now = Date.now();
  const stores = storesIdentity(files);
  const known = map.get(key);
  if (known && known.stores === stores && now - known.startedAt < reuseMs) return known.answer as Promise<ReadResult<Data>>;
  const entry: Entry = { stores, startedAt: now, answer: run() };
  map.delete(key);
  map.set(key, entry);
  forgetOld(map, now - reuseMs);
  entry.answer.then(
    (result) => {
      if (!result.ok && map.get(key) === entry) map.delete(key);
    },
    () => {
      if (map.get(key) === entry) map.delete(key);
    },
  );
  return entry.answer as Promise<ReadResult<Data>>;
}

/** Forgets every kept answer (tests; the idle server, bin/idle-collect.ts). */
export function forgetSharedReads(): void {
  entries().clear();
}
