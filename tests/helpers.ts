import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Database from 'better-sqlite3';
import type { Role } from '../lib/auth/roles';
import { bucketStarts } from '../lib/charts/time-buckets';
import { graphDbPath, loadConfig, metricsDbPath, type HydraConfig } from '../lib/config';
import type { ReadScope } from '../lib/read/read-model';
import type { ReadArgs, ReadData, ReadName } from '../lib/read/registry';
import type { Revealed } from '../lib/read/sensitive';
import type { TimeRange } from '../lib/request/range';
import type { ArgsOf } from '../lib/request/reader';
import { runRead } from '../lib/request/run-read';
import { Engine } from '../lib/engine/engine';
import { openStoreForWriting } from '../lib/store/open-writer';
import type { Clock } from '../lib/store/time';

import { freePort } from '../bin/free-port';

export { freePort };

export const ROOT = path.resolve(__dirname, '..');
export const CLI = path.join(ROOT, 'bin', 'hydramem.cjs');

export function tempDir(prefix = 'hydramem-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeFile(dir: string, relPath: string, content: string | Buffer): string {
  const file = path.join(dir, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export interface Tenant {
  root: string;
  dataDir: string;
  kms: string;
  project: string;
  config: HydraConfig;
  env: Record<string, string>;
}

export function makeTenant(project = 'acme', extraEnv: Record<string, string> = {}): Tenant {
  const root = tempDir();
  const dataDir = path.join(root, 'data');
  const kms = path.join(root, 'kms');
  fs.mkdirSync(kms, { recursive: true });
  const env = { HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: project, KNOWLEDGE_DIR: kms, HYDRAMEM_WATCH: '0', ...extraEnv };
  return { root, dataDir, kms, project, config: loadConfig(env), env };
}

export function openEngine(tenant: Tenant, clock?: Clock): Engine {
  return Engine.open(tenant.config, { command: 'test', clock });
}

/** Reads a store the way a test should: its own connection, read-only. */
export function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function runCli(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, CI: '1', ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking this process (for commands that talk to servers the test itself runs). */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A process whose parent is `parent`, from /proc (the dashboard launcher's one child: its server). */
export function childOf(parent: number): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) return Number(entry);
    } catch {
      // the process ended while the list was read
    }
  }
  return null;
}

export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves when the process has printed a line matching `pattern` on stderr. */
export function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stderr so far:\n${seen}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before ${pattern}; stderr:\n${seen}`));
    });
  });
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

export async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The Python HydraMem's `events` table as its reference documents it, written here independently of
 * lib/store so that tests can build the files that implementation leaves behind.
 */
export const PYTHON_EVENTS_DDL = `CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT, project TEXT, tool_name TEXT,
  session_id TEXT, llm_preset TEXT, tokens_injected INTEGER DEFAULT 0, tokens_baseline INTEGER DEFAULT 0,
  vog_score REAL DEFAULT 0, chunks_total INTEGER DEFAULT 0, chunks_rejected_srmkg INTEGER DEFAULT 0,
  chunks_rejected_vog INTEGER DEFAULT 0, cross_project_hit INTEGER DEFAULT 0, latency_ms INTEGER DEFAULT 0,
  was_hallucination_blocked INTEGER DEFAULT 0, metadata_json TEXT DEFAULT '{}')`;

/**
 * Runs a TypeScript snippet in its own Node process (through tsx, from the repository root), for tests
 * that need a real process to hold locks or to be killed. `code` may import lib modules by `@root/`.
 */
export function startTsScript(code: string, env: Record<string, string>): ChildProcess {
  const file = path.join(tempDir('hydramem-script-'), 'script.ts');
  fs.writeFileSync(file, code.replaceAll('@root/', `${ROOT}/`));
  return spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, CI: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Runs a dashboard read model in this process exactly as a read worker does (read-only opens,
 * the scope the request path builds, redaction for the role), for tests of what a page gets.
 */
export function dashboardReader(tenant: Pick<Tenant, 'config' | 'project'>, range: TimeRange, role: Role = 'admin') {
  const scope: ReadScope = { project: tenant.project, from: range.from, to: range.to, buckets: bucketStarts(range) };
  const files = { metrics: metricsDbPath(tenant.config), graph: graphDbPath(tenant.config) };
  return <Name extends ReadName>(name: Name, ...args: ArgsOf<Name>): Revealed<ReadData<Name>> => {
    const result = runRead({ name, scope, args: args[0] as ReadArgs<Name>, role, files });
    if (!result.ok) throw new Error(`${name}: ${result.kind === 'store' ? result.problem.message : 'over budget'}`);
    return result.data;
  };
}

/**
 * A text filter that reads every search of writeBigQueryLog's log: two characters, too short for the
 * trigram index, found in none of them. Each search ends in 500 z's, so LIKE tries a match at
 * nearly every character: the scan costs CPU, not only page reads, on a fast machine too.
 */
export const SLOW_TEXT = 'zq';

/**
 * A metrics.db made by the writer's migrations with `rows` long searches in its query log, spread
 * over the 90 days before `end`, written straight in SQL: a query log big enough that a text search
 * reading every row takes far longer than a small read budget.
 */
export function writeBigQueryLog(dataDir: string, project: string, rows: number, end: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = openStoreForWriting('metrics', path.join(dataDir, 'metrics.db'));
  try {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
       INSERT INTO query_log (ts, project, tool, query, latency_ms, status)
       SELECT strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', @end, '-' || (i % 7776000) || ' seconds'), @project,
         'hydra_search_tool', 'who owns the telemetry bus number ' || i || ' ' || printf('%.500c', 'z'), i % 97, 'ok' FROM n`,
    ).run({ rows, end, project });
  } finally {
    db.close();
  }
  openStoreForWriting('graph', path.join(dataDir, 'graph.db')).close();
}

/**
 * `hydramem serve` over HTTP on a free loopback port, resolved once the MCP endpoint listens (a
 * writer that fails to get there is stopped). Stop it with `stopProcess(writer)`.
 */
export async function startHttpWriter(
  tenant: Pick<Tenant, 'env'>,
  env: Record<string, string> = {},
): Promise<{ writer: ChildProcess; port: number }> {
  const port = await freePort();
  const writer = startCli(['serve'], { ...tenant.env, HYDRAMEM_TRANSPORT: 'http', MCP_PORT: String(port), ...env });
  try {
    await waitForStderr(writer, /MCP \(Streamable HTTP\) on/);
  } catch (error) {
    await stopProcess(writer, 'SIGKILL');
    throw error;
  }
  return { writer, port };
}

/** A new API key of the tenant (`hydramem keys create`, before a writer serves), for MCP over HTTP. */
export function createApiKey(
  tenant: Pick<Tenant, 'env'>,
  scopes = 'memory:*',
  extra: string[] = [],
): { id: string; key: string; prefix: string } {
  const result = runCli(['keys', 'create', '--env', 'test', '--scopes', scopes, '--json', ...extra], tenant.env);
  if (result.code !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { id: string; key: string; prefix: string };
}

/** The official SDK client over Streamable HTTP to a writer on `port`, with an API key (and headers). */
export async function connectHttp(port: number, key: string | null, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
      requestInit: { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } },
    }),
  );
  return client;
}
