import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  stop(): Promise<void>;
}

/** Starts `hydramem dashboard`; without an auth mode in `env` it runs with none (loopback, allowed). */
export async function startDashboard(env: Record<string, string>, chosenPort?: number): Promise<RunningDashboard> {
  const port = chosenPort ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'bin', 'hydramem.cjs'), 'dashboard', '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        DASHBOARD_AUTH_MODE: 'none',
        DASHBOARD_ALLOW_NO_AUTH: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Read stdout continuously: a full pipe would block the dashboard's log writes.
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
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

/** Checksums of every database and WAL file, and the names of everything in the directory. */
export function snapshotDir(dir: string): { files: string[]; sums: Record<string, string> } {
  const files = fs.readdirSync(dir).sort();
  const sums: Record<string, string> = {};
  for (const name of files) {
    if (/\.db(-wal)?$/.test(name))
      sums[name] = createHash('sha256')
        .update(fs.readFileSync(path.join(dir, name)))
        .digest('hex');
  }
  return { files, sums };
}
