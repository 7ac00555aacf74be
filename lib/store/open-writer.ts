import fs from 'node:fs';
import Database from 'better-sqlite3';
import { GRAPH_MIGRATIONS, GRAPH_SCHEMA_VERSION } from './graph-schema';
import { METRICS_MIGRATIONS, METRICS_SCHEMA_VERSION } from './metrics-schema';
import { StoreError, type StoreName } from './errors';

export type DB = Database.Database;

interface StoreSpec {
  name: StoreName;
  migrations: readonly string[];
  version: number;
}

const SPECS: Record<StoreName, StoreSpec> = {
  metrics: { name: 'metrics', migrations: METRICS_MIGRATIONS, version: METRICS_SCHEMA_VERSION },
  graph: { name: 'graph', migrations: GRAPH_MIGRATIONS, version: GRAPH_SCHEMA_VERSION },
};

/** Pages of WAL (4 KiB each) after which a commit copies them into the main file. */
const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * The writer's open: creates the file if needed, switches to WAL and migrates to the current schema.
 * Only the writer calls this; the dashboard uses openStoreReadOnly.
 */
export function openStoreForWriting(store: StoreName, file: string): DB {
  const spec = SPECS[store];
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 30000');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a killed process loses no committed transaction; only power loss can.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // The graph grows to hundreds of MB: keep hot index pages in memory instead of re-reading them.
    db.pragma('cache_size = -65536');
    db.pragma('mmap_size = 268435456');
    db.pragma('temp_store = MEMORY');
    // Checkpoint at about 40 MB of WAL rather than SQLite's 4 MB: an ingest rewrites the same index
    // pages note after note, and each checkpoint copies them to the main file again (ingest runs
    // about a fifth faster; the WAL is truncated when the writer closes).
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    migrate(db, spec, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: DB, spec: StoreSpec, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > spec.version) {
    throw new StoreError(
      spec.name,
      'too-new',
      file,
      `The ${spec.name} store ${file} has schema version ${current}; this HydraMem understands up to ${spec.version}.`,
      'Upgrade HydraMem, or point HYDRAMEM_DATA_DIR at a data directory written by this version.',
    );
  }
  for (let version = current; version < spec.version; version++) {
    const step = spec.migrations[version];
    if (step === undefined) throw new Error(`missing ${spec.name} migration ${version} -> ${version + 1}`);
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

export function ensureDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o750 });
}
