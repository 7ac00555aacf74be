import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStoreReadOnly } from '../lib/store/open-readonly';
import { openStoreForWriting } from '../lib/store/open-writer';
import { METRICS_SCHEMA_VERSION } from '../lib/store/metrics-schema';
import { StoreError } from '../lib/store/errors';
import { CLI, PYTHON_EVENTS_DDL, tempDir } from './helpers';

/** The Python HydraMem's `events` table as its reference documents it: name, type, default. */
const PYTHON_EVENTS = [
  ['id', 'INTEGER', null],
  ['ts', 'TEXT', null],
  ['project', 'TEXT', null],
  ['tool_name', 'TEXT', null],
  ['session_id', 'TEXT', null],
  ['llm_preset', 'TEXT', null],
  ['tokens_injected', 'INTEGER', '0'],
  ['tokens_baseline', 'INTEGER', '0'],
  ['vog_score', 'REAL', '0'],
  ['chunks_total', 'INTEGER', '0'],
  ['chunks_rejected_srmkg', 'INTEGER', '0'],
  ['chunks_rejected_vog', 'INTEGER', '0'],
  ['cross_project_hit', 'INTEGER', '0'],
  ['latency_ms', 'INTEGER', '0'],
  ['was_hallucination_blocked', 'INTEGER', '0'],
  ['metadata_json', 'TEXT', "'{}'"],
];

interface ColumnInfo {
  cid: number;
  name: string;
  type: string;
  dflt_value: string | null;
  pk: number;
}

function expectStoreError(run: () => unknown, problem: string): StoreError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).problem).toBe(problem);
    return error as StoreError;
  }
  throw new Error(`expected a ${problem} StoreError`);
}

describe('metrics.db contract', () => {
  it('keeps the Python events table column by column: order, type and default', () => {
    const file = path.join(tempDir(), 'metrics.db');
    openStoreForWriting('metrics', file).close();
    const db = new Database(file, { readonly: true });
    const columns = db.prepare('PRAGMA table_info(events)').all() as ColumnInfo[];
    expect(columns.map((c) => [c.name, c.type, c.dflt_value])).toEqual(PYTHON_EVENTS);
    expect(columns.find((c) => c.name === 'id')?.pk).toBe(1);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as { sql: string }).sql;
    expect(sql).toMatch(/AUTOINCREMENT/);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('migrates a Python HydraMem metrics.db in place and keeps its rows', () => {
    const file = path.join(tempDir(), 'metrics.db');
    const python = new Database(file);
    python.exec(PYTHON_EVENTS_DDL);
    python
      .prepare('INSERT INTO events (ts, project, tool_name, latency_ms) VALUES (?, ?, ?, ?)')
      .run('2026-07-01T17:31:18.123456+00:00', 'alice', 'hydra_search_tool', 42);
    python.close();

    const readOnly = openStoreReadOnly('metrics', file);
    expect(readOnly.pythonCompatible).toBe(true);
    readOnly.db.close();

    const db = openStoreForWriting('metrics', file);
    expect(db.pragma('user_version', { simple: true })).toBe(METRICS_SCHEMA_VERSION);
    expect(db.prepare('SELECT project, tool_name, latency_ms FROM events').all()).toEqual([
      { project: 'alice', tool_name: 'hydra_search_tool', latency_ms: 42 },
    ]);
    expect(
      db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('ingest_runs','query_log','call_rollup_hourly')").get(),
    ).toEqual({ n: 3 });
    db.close();
  });
});

describe('read-only opener', () => {
  it('reports a missing store', () => {
    const error = expectStoreError(() => openStoreReadOnly('graph', path.join(tempDir(), 'graph.db')), 'missing');
    expect(error.hint).toMatch(/hydramem serve/);
  });

  it('reports a store newer than it understands', () => {
    const file = path.join(tempDir(), 'graph.db');
    const db = openStoreForWriting('graph', file);
    db.pragma('user_version = 99');
    db.close();
    expect(expectStoreError(() => openStoreReadOnly('graph', file), 'too-new').message).toMatch(/version 99/);
  });

  it('reports a store older than it understands', () => {
    const file = path.join(tempDir(), 'graph.db');
    new Database(file).exec('CREATE TABLE documents (id TEXT)');
    expectStoreError(() => openStoreReadOnly('graph', file), 'too-old');
  });

  it('reports a corrupt store', () => {
    const file = path.join(tempDir(), 'metrics.db');
    fs.writeFileSync(file, 'this is not a database, just text that happens to sit where metrics.db should be'.repeat(100));
    expectStoreError(() => openStoreReadOnly('metrics', file), 'corrupt');
  });

  it('reports a locked store', () => {
    const file = path.join(tempDir(), 'graph.db');
    openStoreForWriting('graph', file).close();
    // A rollback-journal exclusive lock is what a migration or VACUUM on another machine's SQLite would hold.
    const holder = new Database(file);
    holder.pragma('journal_mode = DELETE');
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expectStoreError(() => openStoreReadOnly('graph', file, 50), 'locked');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('never changes the file it opens', () => {
    const file = path.join(tempDir(), 'graph.db');
    openStoreForWriting('graph', file).close();
    const before = fs.readFileSync(file);
    const opened = openStoreReadOnly('graph', file);
    opened.db.prepare('SELECT COUNT(*) FROM entities').get();
    expect(() => opened.db.exec('CREATE TABLE x (y)')).toThrow(/readonly/i);
    opened.db.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('read-only opener and file permissions', () => {
  const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;

  it.skipIf(!asNobody)('reports a store in a folder the user may not enter as unreadable, not missing', () => {
    const dataDir = tempDir();
    openStoreForWriting('metrics', path.join(dataDir, 'metrics.db')).close();
    fs.chmodSync(dataDir, 0o700);
    const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, CLI, 'stats'], {
      env: { ...process.env, HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: 'p' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(4);
    expect(run.stderr).toContain(`The metrics store ${path.join(dataDir, 'metrics.db')} cannot be read (permission denied).`);
    expect(run.stderr).toContain('Check that this user may read the data directory and its files.');
  });
});
