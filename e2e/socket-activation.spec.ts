import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { freePort } from '../tests/helpers';
import { buildDemoTenant, ROOT } from './tenant';

const UNIT_NODE_FLAGS = ['--max-old-space-size=384', '--max-semi-space-size=2', '--expose-gc'];
const UNIT = fs.readFileSync(`${ROOT}/deploy/systemd/hydramem-dashboard@.service`, 'utf8');
/** The unit's Environment= settings of the process's memory: the malloc it runs on and its arenas. */
const UNIT_MALLOC_ENV = Object.fromEntries(
  [...UNIT.matchAll(/^Environment=(MALLOC_ARENA_MAX|LD_PRELOAD)=(.*)$/gm)].map((match) => [match[1], match[2]]),
);

/** What the process is running now: systemd-socket-activate execs the dashboard in its place. */
function commandOf(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

test('started on the first connection through the socket systemd holds, and gone again when idle', async ({ request }) => {
  const tenant = buildDemoTenant('kestrel');
  const port = await freePort();
  // systemd-socket-activate hands over the listening socket as systemd does (LISTEN_FDS, fd 3)
  // and passes on only the variables named with -E, as a unit's Environment= would.
  const env = {
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    DASHBOARD_AUTH_MODE: 'none',
    DASHBOARD_ALLOW_NO_AUTH: '1',
    DASHBOARD_IDLE_EXIT_MINUTES: '0.05',
    NEXT_TELEMETRY_DISABLED: '1',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...UNIT_MALLOC_ENV,
  };
  expect(Object.keys(UNIT_MALLOC_ENV).sort()).toEqual(['LD_PRELOAD', 'MALLOC_ARENA_MAX']);
  const setenv = Object.entries(env).flatMap(([name, value]) => ['-E', `${name}=${value}`]);
  const activator = spawn(
    'systemd-socket-activate',
    // The command line of deploy/systemd/hydramem-dashboard@.service: the flags given, one process.
    [
      '-l',
      `127.0.0.1:${port}`,
      ...setenv,
      process.execPath,
      ...UNIT_NODE_FLAGS,
      'bin/hydramem.cjs',
      'dashboard',
      '--port',
      String(port),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  activator.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  activator.stdout.on('data', () => {});
  const exited = new Promise<number | null>((resolve) => activator.once('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => stderr).toContain(`Listening on 127.0.0.1:${port}`);
    // Nothing runs for a tenant nobody views: the port is held, the dashboard is not started.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(commandOf(activator.pid ?? 0)).toContain('systemd-socket-activate');

    const started = Date.now();
    const first = await request.get(`http://127.0.0.1:${port}/`, { timeout: 30_000 });
    const firstMs = Date.now() - started;
    expect(first.status()).toBe(200);
    expect(await first.text()).toContain('project <strong>kestrel</strong>');
    console.log(`socket activation: first page answered ${firstMs} ms after the connection`);
    expect(commandOf(activator.pid ?? 0)).toContain('bin/hydramem.cjs dashboard');
    expect(stderr).toContain('(socket from systemd)');
    // The unit's bare library name is found by the loader: the dashboard runs on jemalloc.
    expect(fs.readFileSync(`/proc/${activator.pid}/maps`, 'utf8')).toMatch(/libjemalloc\.so\.2/);

    // 0.05 min without requests: the dashboard exits cleanly, for systemd to start it again.
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/no request for 0\.05 min: exiting/);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  } finally {
    activator.kill('SIGTERM');
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
