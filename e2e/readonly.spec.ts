import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { freePort } from '../tests/helpers';
import { buildDemoTenant, ROOT, snapshotDir, startDashboard } from './tenant';

const ROUTES = [
  '/',
  '/?range=90d',
  '/ingest?range=90d',
  '/ingest?status=failed',
  '/graph?range=90d',
  '/graph?q=telemetry',
  '/queries?range=90d',
  '/queries?range=90d&zero=1&sort=latency_desc',
  '/readyz',
  '/healthz',
];

async function visitAll(request: APIRequestContext, url: string): Promise<void> {
  for (const route of ROUTES) {
    const response = await request.get(`${url}${route}`);
    expect(response.status(), route).toBe(200);
  }
}

test('with the writer running, every store file stays byte-identical and no file appears', async ({ request }) => {
  const tenant = buildDemoTenant('kestrel');
  const port = await freePort();
  const writer = spawn(process.execPath, [path.join(ROOT, 'bin', 'hydramem.cjs'), 'serve'], {
    env: {
      ...process.env,
      HYDRAMEM_DATA_DIR: tenant.dataDir,
      HYDRAMEM_PROJECT: tenant.project,
      KNOWLEDGE_DIR: path.join(tenant.dataDir, 'kms'),
      HYDRAMEM_TRANSPORT: 'http',
      MCP_PORT: String(port),
      HYDRAMEM_WATCH: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve) =>
    writer.stderr?.on('data', (chunk: Buffer) => chunk.toString().includes('MCP (Streamable HTTP)') && resolve()),
  );
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    const before = snapshotDir(tenant.dataDir);
    expect(before.files).toContain('graph.db-wal'); // the writer's WAL is there while it runs
    await visitAll(request, dashboard.url);
    expect(snapshotDir(tenant.dataDir)).toEqual(before);
  } finally {
    await dashboard.stop();
    await new Promise((resolve) => (writer.once('exit', resolve), writer.kill('SIGTERM')));
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});

test('with the writer stopped cleanly, the dashboard reads the stores and leaves no -wal or -shm behind', async ({ request }) => {
  const tenant = buildDemoTenant('kestrel');
  const before = snapshotDir(tenant.dataDir);
  expect(before.files.filter((name) => /-(wal|shm)$/.test(name))).toEqual([]);
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    await visitAll(request, dashboard.url);
    expect(snapshotDir(tenant.dataDir)).toEqual(before);
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});

test('an unprivileged user serves the dashboard from a read-only data directory', async ({ request }) => {
  test.skip(process.getuid?.() !== 0, 'needs root to switch to the nobody user');
  const tenant = buildDemoTenant('kestrel');
  for (const name of fs.readdirSync(tenant.dataDir))
    if (name.endsWith('.db')) fs.chmodSync(path.join(tenant.dataDir, name), 0o444);
  fs.chmodSync(tenant.dataDir, 0o555);
  const probe = spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-w', tenant.dataDir]);
  expect(probe.status).not.toBe(0); // nobody really cannot write there
  const port = await freePort();
  const child = spawn(
    'runuser',
    ['-u', 'nobody', '--', process.execPath, path.join(ROOT, 'bin', 'hydramem.cjs'), 'dashboard', '--port', String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        HYDRAMEM_DATA_DIR: tenant.dataDir,
        HYDRAMEM_PROJECT: tenant.project,
        NEXT_TELEMETRY_DISABLED: '1',
        DASHBOARD_AUTH_MODE: 'none',
        DASHBOARD_ALLOW_NO_AUTH: '1',
        HOME: '/tmp',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`127.0.0.1:${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dashboard as nobody exited ${code}: ${output}`)));
  });
  try {
    const before = snapshotDir(tenant.dataDir);
    await visitAll(request, `http://127.0.0.1:${port}`);
    const overview = await (await request.get(`http://127.0.0.1:${port}/?range=90d`)).text();
    expect(overview).toContain('data-testid="kpi-calls"');
    expect(snapshotDir(tenant.dataDir)).toEqual(before);
  } finally {
    await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
    fs.chmodSync(tenant.dataDir, 0o755);
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
