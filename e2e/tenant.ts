import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from '@playwright/test';
import Database from 'better-sqlite3';
import { readOnlyTarget } from '../lib/store/open-readonly';
import { freePort } from '../tests/helpers';

export const ROOT = path.resolve(__dirname, '..');

/** A tenant built by the real writer: the demo's notes and replayed calls, without serving. */
export function buildDemoTenant(project = 'kestrel'): { dataDir: string; project: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-e2e-'));
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'hydramem.cjs'),
      'demo',
      '--data-dir',
      dataDir,
      '--project',
      project,
      '--searches',
      '200',
      '--no-serve',
    ],
    { encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  if (result.status !== 0) throw new Error(`demo failed: ${result.stderr}`);
  return { dataDir, project };
}

/**
 * `hydramem dashboard`, the production build behind the command's own loopback server, exactly as
 * a tenant runs it. Resolves once it listens.
 */
export interface RunningDashboard {
  url: string;
  port: number;
  /** The access-log lines the dashboard wrote on stdout so far, parsed. */
  accessLog(): Array<Record<string, unknown>>;
  /** Everything the dashboard wrote on stderr so far. */
  errorOutput(): string;
  stop(): Promise<void>;
}

/**
 * When this runs as root (which ignores file permissions), the command that runs a process as
 * `nobody` instead, so that a test can see what an unreadable file does to an ordinary user.
 */
function unprivileged(command: string[]): string[] {
  return process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...command] : command;
}

/**
 * Starts `hydramem dashboard`; without an auth mode in `env` it runs with none (loopback, allowed).
 * `asNobody` runs it as an unprivileged user when the tests run as root.
 */
export async function startDashboard(
  env: Record<string, string>,
  chosenPort?: number,
  options: { asNobody?: boolean } = {},
): Promise<RunningDashboard> {
  const port = chosenPort ?? (await freePort());
  const command = [process.execPath, path.join(ROOT, 'bin', 'hydramem.cjs'), 'dashboard', '--port', String(port)];
  const [file = process.execPath, ...args] = options.asNobody ? unprivileged(command) : command;
  const child: ChildProcess = spawn(file, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      DASHBOARD_AUTH_MODE: 'none',
      DASHBOARD_ALLOW_NO_AUTH: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Read stdout continuously: a full pipe would block the dashboard's log writes.
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      if (process.env.HYDRAMEM_E2E_DEBUG) process.stderr.write(chunk);
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${output}`)));
  });
  return {
    url,
    port,
    accessLog: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    errorOutput: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The test's own read of a store, independent of the dashboard's queries; leaves no files behind. */
export function sql<T>(file: string, query: string, ...params: unknown[]): T[] {
  const db = new Database(readOnlyTarget(file), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(query).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function sqlValue(file: string, query: string, ...params: unknown[]): number {
  const [row] = sql<Record<string, number>>(file, query, ...params);
  return Object.values(row ?? {})[0] ?? 0;
}

/**
 * Checksums and modification times of every database and WAL file, and the names of everything in
 * the directory (-shm is left out of the times: SQLite readers touch it by design).
 */
export function snapshotDir(dir: string): { files: string[]; sums: Record<string, string>; mtimes: Record<string, number> } {
  const files = fs.readdirSync(dir).sort();
  const sums: Record<string, string> = {};
  const mtimes: Record<string, number> = {};
  for (const name of files) {
    if (!/\.db(-wal)?$/.test(name)) continue;
    const file = path.join(dir, name);
    sums[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    mtimes[name] = fs.statSync(file).mtimeMs;
  }
  return { files, sums, mtimes };
}

/** A marker that only the rival project's rows hold: no response of the dashboard may contain it. */
export const RIVAL_SECRET = 'RIVAL-SECRET-7f3a';

/**
 * Puts another project's rows into the same files, as a shared Python metrics.db would have them:
 * telemetry, searches, ingest runs, rollups, an entity, a user with a preference, a key and audit rows.
 */
export function addRivalProject(dataDir: string): { queryId: number; entityId: string; userId: string } {
  const ts = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '000+00:00');
  const hour = `${ts.slice(0, 13)}:00:00.000000+00:00`;
  const userId = 'rival-user';
  const metrics = new Database(path.join(dataDir, 'metrics.db'));
  metrics
    .prepare(
      "INSERT INTO events (ts, project, tool_name, tokens_injected, tokens_baseline, latency_ms, metadata_json) VALUES (?, 'rival', 'hydra_search_tool', 1, 999999, 5, '{}')",
    )
    .run(ts);
  const queryId = Number(
    metrics
      .prepare(
        `INSERT INTO query_log (ts, project, tool, query, result_count, latency_ms, status, user_id, session_id)
      VALUES (?, 'rival', 'hydra_search_tool', ?, 3, 99999, 'ok', ?, ?)`,
      )
      .run(ts, `${RIVAL_SECRET} query`, userId, 'rival-session').lastInsertRowid,
  );
  metrics
    .prepare(
      `INSERT INTO ingest_runs (ts, project, batch_id, path, status, change, reason) VALUES (?, 'rival', 'b', ?, 'failed', 'none', ?)`,
    )
    .run(ts, `${RIVAL_SECRET}/notes.md`, RIVAL_SECRET);
  metrics
    .prepare(
      `INSERT INTO call_rollup_hourly (project, hour, tool, calls, errors, searches, latency_hist) VALUES ('rival', ?, 'hydra_search_tool', 100000, 500, 100000, '[]')`,
    )
    .run(hour);
  metrics.prepare(`INSERT INTO ingest_rollup_hourly (project, hour, status, files) VALUES ('rival', ?, 'ok', 77777)`).run(hour);
  metrics
    .prepare(
      `INSERT INTO user_rollup_daily (project, user_id, day, calls, searches, errors, last_call_at) VALUES ('rival', ?, ?, 5, 5, 0, ?)`,
    )
    .run(userId, ts.slice(0, 10), ts);
  metrics
    .prepare(
      `INSERT INTO api_keys (id, project, prefix, hash, name, env, scopes, user_id, created_at)
       VALUES ('key_rival0000', 'rival', 'hm_live_rivalkey', ?, ?, 'live', 'memory:*', ?, ?)`,
    )
    .run('0'.repeat(64), `${RIVAL_SECRET} key`, userId, ts);
  metrics
    .prepare(
      `INSERT INTO audit_log (ts, project, actor, action, target, detail_json, result, reason, key_prefix, end_user)
       VALUES (?, 'rival', ?, 'memory.remember', ?, '{}', 'ok', NULL, 'hm_live_rivalkey', ?)`,
    )
    .run(ts, `${RIVAL_SECRET} actor`, `${RIVAL_SECRET} target`, userId);
  metrics.close();
  const graph = new Database(path.join(dataDir, 'graph.db'));
  const entityId = 'abcdef012345';
  graph
    .prepare(
      "INSERT INTO entities (id, project, name, norm, type, created_at, updated_at) VALUES (?, 'rival', ?, 'rivalsecret', 'person', ?, ?)",
    )
    .run(entityId, `${RIVAL_SECRET} Person`, ts, ts);
  graph
    .prepare(`INSERT INTO users (project, identifier, attributes, created_at, last_seen_at) VALUES ('rival', ?, ?, ?, ?)`)
    .run(userId, JSON.stringify({ note: RIVAL_SECRET }), ts, ts);
  graph
    .prepare(
      `INSERT INTO preferences (id, project, user_id, category, text, valid_from, created_at) VALUES ('pref_rival0000', 'rival', ?, 'x', ?, ?, ?)`,
    )
    .run(userId, `${RIVAL_SECRET} preference`, ts, ts);
  graph.close();
  return { queryId, entityId, userId };
}

/** A demo tenant and its dashboard, shared by the tests of one spec file. */
export interface SharedDemo {
  tenant: { dataDir: string; project: string };
  dashboard: RunningDashboard;
}

/**
 * One demo tenant and one dashboard for every test of the calling spec file: built before the
 * first test, stopped and removed after the last. The fields are set once `beforeAll` has run.
 */
export function sharedDemoDashboard(env: Record<string, string> = {}): SharedDemo {
  const demo = {} as SharedDemo;
  test.beforeAll(async () => {
    demo.tenant = buildDemoTenant('kestrel');
    demo.dashboard = await startDashboard({
      HYDRAMEM_DATA_DIR: demo.tenant.dataDir,
      HYDRAMEM_PROJECT: demo.tenant.project,
      ...env,
    });
  });
  test.afterAll(async () => {
    await demo.dashboard?.stop();
    if (demo.tenant) fs.rmSync(demo.tenant.dataDir, { recursive: true, force: true });
  });
  return demo;
}
