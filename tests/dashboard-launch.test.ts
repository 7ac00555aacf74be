import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { childOf, CLI, freePort, startCli, stopProcess, tempDir, waitFor, waitForStderr } from './helpers';

// `hydramem dashboard` starts the server as a child process with the memory settings V8 and glibc
// take only at start: what a deployment's dashboard actually runs with, read from /proc.
const running: ChildProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => stopProcess(child)));
});

async function launchedServer(env: Record<string, string>): Promise<{ args: string[]; env: Map<string, string>; maps: string }> {
  const port = await freePort();
  const launcher = startCli(['dashboard', '--port', String(port)], {
    HYDRAMEM_DATA_DIR: tempDir('hydramem-launch-'),
    HYDRAMEM_PROJECT: 'launch',
    DASHBOARD_AUTH_MODE: 'none',
    DASHBOARD_ALLOW_NO_AUTH: '1',
    DASHBOARD_INTEGRITY_CHECK_MINUTES: '0',
    ...env,
  });
  running.push(launcher);
  await waitForStderr(launcher, new RegExp(`:${port}`), 60_000);
  const server = await waitFor(() => childOf(launcher.pid ?? -1));
  const args = fs.readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0');
  const environ = fs.readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
  return {
    args,
    maps: fs.readFileSync(`/proc/${server}/maps`, 'utf8'),
    env: new Map(environ.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])),
  };
}

describe('the dashboard process', () => {
  it('runs with a capped heap, a small young generation, two malloc arenas and jemalloc', async () => {
    const { args, env, maps } = await launchedServer({});
    expect(args).toContain('--max-old-space-size=384');
    expect(args).toContain('--max-semi-space-size=2');
    expect(args).toContain('--expose-gc');
    expect(env.get('MALLOC_ARENA_MAX')).toBe('2');
    // scripts/system-deps.sh installs libjemalloc2 before the tests: the server has it loaded.
    expect(env.get('LD_PRELOAD')).toBe('libjemalloc.so.2');
    expect(maps).toMatch(/libjemalloc\.so\.2/);
  }, 90_000);

  it("keeps the operator's LD_PRELOAD, even an empty one: then glibc's malloc", async () => {
    const { env, maps } = await launchedServer({ LD_PRELOAD: '' });
    expect(env.get('LD_PRELOAD')).toBe('');
    expect(maps).not.toMatch(/libjemalloc/);
  }, 90_000);

  it("keeps the operator's heap size, young generation and malloc arenas", async () => {
    const { args, env } = await launchedServer({
      DASHBOARD_HEAP_MB: '200',
      MALLOC_ARENA_MAX: '4',
      NODE_OPTIONS: '--max-semi-space-size=8',
    });
    expect(args).toContain('--max-old-space-size=200');
    expect(args).not.toContain('--max-semi-space-size=2');
    expect(env.get('NODE_OPTIONS')).toBe('--max-semi-space-size=8');
    expect(args).not.toContain('--max-old-space-size=384');
    expect(env.get('MALLOC_ARENA_MAX')).toBe('4');
  }, 90_000);

  it('given the flags on its command line, as the systemd unit gives them, it serves from that process: no second one', async () => {
    const port = await freePort();
    // deploy/systemd/hydramem-dashboard@.service's ExecStart, with a heap of our choosing.
    const flags = ['--max-old-space-size=300', '--max-semi-space-size=2', '--expose-gc'];
    const unit = fs.readFileSync(new URL('../deploy/systemd/hydramem-dashboard@.service', import.meta.url), 'utf8');
    expect(unit).toMatch(
      /ExecStart=\/usr\/bin\/node --max-old-space-size=\$\{DASHBOARD_HEAP_MB\} --max-semi-space-size=2 --expose-gc /,
    );
    expect(unit).toContain('Environment=MALLOC_ARENA_MAX=2');
    expect(unit).toContain('Environment=LD_PRELOAD=libjemalloc.so.2');
    const dashboard = spawn(process.execPath, [...flags, CLI, 'dashboard', '--port', String(port)], {
      env: {
        ...process.env,
        // The unit's bare library name: the loader finds it in the system's library path.
        LD_PRELOAD: 'libjemalloc.so.2',
        CI: '1',
        HYDRAMEM_DATA_DIR: tempDir('hydramem-launch-'),
        HYDRAMEM_PROJECT: 'launch',
        DASHBOARD_AUTH_MODE: 'none',
        DASHBOARD_ALLOW_NO_AUTH: '1',
        DASHBOARD_INTEGRITY_CHECK_MINUTES: '0',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.push(dashboard);
    await waitForStderr(dashboard, new RegExp(`:${port}`), 60_000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(childOf(dashboard.pid ?? -1)).toBeNull();
    const args = fs.readFileSync(`/proc/${dashboard.pid}/cmdline`, 'utf8').split('\0');
    for (const flag of flags) expect(args).toContain(flag);
    expect(fs.readFileSync(`/proc/${dashboard.pid}/maps`, 'utf8')).toMatch(/libjemalloc\.so\.2/);
  }, 90_000);
});
