/**
 * Writer memory under unauthenticated and abandoned MCP sessions over Streamable HTTP.
 *
 *   npm run bench:sessions                              # 3,000 requests per phase
 *   npm run bench:sessions -- --requests 500            # quicker
 *   npm run bench:sessions -- --cli /other/checkout/bin/hydramem.cjs   # the same load on another build
 *   npm run bench:sessions -- --writer-heap-mb 80       # a small V8 heap: a leak would end the writer
 *
 * Starts a real writer (`hydramem serve`, HTTP transport, API keys on) on the sample notes, then:
 *   1. sends N MCP `initialize` requests with no credential, as a port scanner or a misconfigured
 *      client would, and reads the writer's RSS after them and after a settle pause;
 *   2. opens N sessions with a valid key and abandons every one (no DELETE), and reads RSS again:
 *      sessions are bounded by HYDRAMEM_HTTP_MAX_SESSIONS, so this figure should stay flat too.
 * RSS is read from /proc/<pid>/status (VmRSS). V8 grows its heap lazily, so RSS rising with N says
 * little on its own; under --writer-heap-mb the writer must collect ended sessions or die of OOM. Prints a table and writes bench-results/sessions.json.
 * It reports figures only: nothing here passes or fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../bin/free-port';

const ROOT = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(ROOT, 'bench-results', 'sessions.json');
const SAMPLE_NOTES = path.join(ROOT, 'samples', 'kestrel-kms');
const CONCURRENCY = 16;
const SETTLE_MS = 5_000;

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } },
});

interface Options {
  requests: number;
  cli: string;
  writerHeapMb: number | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { requests: 3_000, cli: path.join(ROOT, 'bin', 'hydramem.cjs'), writerHeapMb: null };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--requests' && value && /^\d+$/.test(value)) options.requests = Number(value);
    else if (flag === '--cli' && value) options.cli = path.resolve(value);
    else if (flag === '--writer-heap-mb' && value && /^\d+$/.test(value)) options.writerHeapMb = Number(value);
    else throw new Error(`unknown or incomplete option ${flag ?? ''}: use --requests N, --cli PATH or --writer-heap-mb N`);
    i += 1;
  }
  if (!fs.existsSync(options.cli)) throw new Error(`${options.cli} does not exist: run npm run build first`);
  return options;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) / 1024;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`writer did not start in time:\n${seen}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`writer exited with ${code}:\n${seen}`));
    });
  });
}

/** Sends `count` initialize requests, CONCURRENCY at a time; returns how many got each status. */
async function sendInitializes(port: number, count: number, key: string | null): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(key ? { authorization: `Bearer ${key}` } : {}),
  };
  async function lane(): Promise<void> {
    while (next < count) {
      next += 1;
      const response = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers, body: INITIALIZE });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return statuses;
}

/** A key from the CLI under test, or null when that build has no `keys` command (keyless HTTP). */
function createKey(cli: string, env: NodeJS.ProcessEnv): string | null {
  const result = spawnSync(process.execPath, [cli, 'keys', 'create', '--env', 'test', '--scopes', 'memory:read', '--json'], {
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) return null;
  return (JSON.parse(result.stdout) as { key: string }).key;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const formatMb = (mb: number) => `${mb.toFixed(1)} MB`;
const formatStatuses = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([status, n]) => `${n}× ${status}`)
    .join(', ');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-sessions-'));
  const kms = path.join(root, 'kms');
  fs.cpSync(SAMPLE_NOTES, kms, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: '1',
    HYDRAMEM_DATA_DIR: path.join(root, 'data'),
    KNOWLEDGE_DIR: kms,
    HYDRAMEM_PROJECT: 'bench',
    HYDRAMEM_WATCH: '0',
    HYDRAMEM_TRANSPORT: 'http',
    MCP_PORT: String(port),
  };
  const key = createKey(options.cli, env);
  const heapFlags = options.writerHeapMb ? [`--max-old-space-size=${options.writerHeapMb}`] : [];
  const writer = spawn(process.execPath, [...heapFlags, options.cli, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  writer.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  const died = () =>
    new Error(`the writer ended (exit ${writer.exitCode ?? writer.signalCode}) under the load; its last words:\n${stderrTail}`);
  try {
    await waitForLine(writer, /MCP \(Streamable HTTP\) on/, 120_000);
    const pid = writer.pid;
    if (pid === undefined) throw new Error('writer has no pid');
    await sleep(SETTLE_MS);
    const atStart = rssMb(pid);

    const load = (key: string | null) =>
      sendInitializes(port, options.requests, key).catch(async (error: unknown) => {
        // A refused connection usually means the writer is going down: give its exit a moment to land.
        await Promise.race([new Promise((resolve) => writer.once('exit', resolve)), sleep(3_000)]);
        throw writer.exitCode !== null || writer.signalCode !== null ? died() : error;
      });
    const unauthenticated = await load(null);
    const afterUnauthenticated = rssMb(pid);
    await sleep(SETTLE_MS);
    const settledUnauthenticated = rssMb(pid);

    const abandoned = key ? await load(key) : null;
    const afterAbandoned = rssMb(pid);
    await sleep(SETTLE_MS);
    const settledAbandoned = rssMb(pid);

    const rows: Array<[string, string]> = [
      ['writer', `${options.cli}${options.writerHeapMb ? ` (V8 old space ${options.writerHeapMb} MB)` : ''}`],
      ['RSS at start (settled)', formatMb(atStart)],
      [`${options.requests} unauthenticated initialize`, formatStatuses(unauthenticated)],
      ['RSS right after', formatMb(afterUnauthenticated)],
      [
        `RSS ${SETTLE_MS / 1000} s later`,
        `${formatMb(settledUnauthenticated)} (×${(settledUnauthenticated / atStart).toFixed(2)} of start)`,
      ],
      [
        `${options.requests} abandoned keyed sessions`,
        abandoned ? formatStatuses(abandoned) : 'skipped: this build has no API keys',
      ],
      ['RSS right after', formatMb(afterAbandoned)],
      [`RSS ${SETTLE_MS / 1000} s later`, `${formatMb(settledAbandoned)} (×${(settledAbandoned / atStart).toFixed(2)} of start)`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);

    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(
      RESULTS_FILE,
      `${JSON.stringify(
        {
          cli: options.cli,
          requests: options.requests,
          writerHeapMb: options.writerHeapMb,
          rssMb: { atStart, afterUnauthenticated, settledUnauthenticated, afterAbandoned, settledAbandoned },
          unauthenticated,
          abandoned,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (writer.exitCode === null && writer.signalCode === null) {
      const exited = new Promise((resolve) => writer.once('exit', resolve));
      writer.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:sessions: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
