import fs from 'node:fs';
import Database from 'better-sqlite3';
import { GRAPH_SCHEMA_VERSION } from './graph-schema';
import { METRICS_SCHEMA_VERSION } from './metrics-schema';
import { classifyStoreError, StoreError, type StoreName } from './errors';
import type { DB } from './open-writer';
import type { ReadDB } from './read-db';

export interface ReadOnlyStore {
  db: DB;
  /** Schema version found in the file (0 for a Python HydraMem metrics.db). */
  version: number;
  /** True for a metrics.db written by the Python HydraMem: only its `events` table is there. */
  pythonCompatible: boolean;
}

const EXPECTED: Record<StoreName, number> = { metrics: METRICS_SCHEMA_VERSION, graph: GRAPH_SCHEMA_VERSION };

/**
 * The dashboard's open: read-only, the file must exist, no pragma that writes, no DDL.
 * Checks the schema version and reports a store that is missing, locked, corrupt, older or newer
 * than this build understands, each with its own StoreError.
 */
export function openStoreReadOnly(store: StoreName, file: string, timeoutMs = 1000): ReadOnlyStore {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    // A file in a folder this user may not enter is not "missing": say which it is.
    const denied = (error as NodeJS.ErrnoException).code === 'EACCES';
    throw classifyStoreError(store, file, { code: 'SQLITE_CANTOPEN', message: denied ? 'permission denied' : 'no such file' });
  }
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    // SQLite says only "unable to open" for a file this user may not read; it exists, so say why.
    throw classifyStoreError(store, file, { code: 'SQLITE_CANTOPEN', message: 'permission denied' });
  }
  if (size === 0) {
    // SQLite reads a 0-byte file as a new database of version 0: it is not "too old", it is empty.
    throw new StoreError(
      store,
      'empty',
      file,
      `The ${store} store ${file} is empty (0 bytes).`,
      'The writer creates its stores when it starts: start `hydramem serve` once, or restore the file from a backup.',
    );
  }
  let db: DB;
  try {
    db = new Database(readOnlyTarget(file), { readonly: true, fileMustExist: true, timeout: timeoutMs });
  } catch (error) {
    throw classifyStoreError(store, file, error);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const expected = EXPECTED[store];
    const pythonCompatible = store === 'metrics' && version === 0 && hasTable(db, 'events');
    if (version > expected) {
      throw new StoreError(
        store,
        'too-new',
        file,
        `The ${store} store ${file} has schema version ${version}; this dashboard understands up to ${expected}.`,
        'Upgrade the dashboard to the same HydraMem version as the writer.',
      );
    }
    if (version < expected && !pythonCompatible) {
      throw new StoreError(
        store,
        'too-old',
        file,
        `The ${store} store ${file} has schema version ${version}; this dashboard needs ${expected}.`,
        'Start the writer of this version once (`hydramem serve`): it migrates its stores on start.',
      );
    }
    return { db, version, pythonCompatible };
  } catch (error) {
    db.close();
    throw error instanceof StoreError ? error : classifyStoreError(store, file, error);
  }
}

/**
 * Set before better-sqlite3 loads (the dashboard command does) so that `file:` URIs, and with them
 * immutable opens, are understood.
 */
export const URI_ENV = 'SQLITE_USE_URI';

/**
 * What to open. While a writer runs, its WAL exists and a plain read-only open sees every commit.
 * When there is no WAL (the writer stopped cleanly), a plain open would create -wal and -shm files
 * in the data directory, and fails outright in a read-only one; an immutable open reads the file as
 * it is and creates nothing. Each request opens anew, so a writer that starts later is seen at once.
 */
export function readOnlyTarget(file: string): string {
  if (fs.existsSync(`${file}-wal`) || process.env[URI_ENV] !== '1') return file;
  return `file:${encodeURI(file).replace(/[?#]/g, encodeURIComponent)}?immutable=1`;
}

export function hasTable(db: ReadDB, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?").get(name) !== undefined;
}
