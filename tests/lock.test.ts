import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockHeldError, readLock } from '../lib/engine/lock';
import {
  connectHttp,
  createApiKey,
  freePort,
  makeTenant,
  openEngine,
  query,
  runCli,
  startHttpWriter,
  stopProcess,
  waitFor,
  writeFile,
} from './helpers';

describe('one writer per data directory', () => {
  it('refuses a second writer and names the process that holds the lock', () => {
    const tenant = makeTenant();
    const first = openEngine(tenant);
    try {
      expect(() => openEngine(tenant)).toThrow(LockHeldError);
      try {
        openEngine(tenant);
      } catch (error) {
        expect((error as Error).message).toContain(`pid ${process.pid}`);
      }
    } finally {
      first.close();
    }
    openEngine(tenant).close(); // released on close
  });

  it('takes over a lock left by a killed writer', async () => {
    const tenant = makeTenant();
    writeFile(tenant.kms, 'a.md', '# A\n\nSome text.\n');
    const { writer, port } = await startHttpWriter(tenant);
    expect(readLock(tenant.dataDir)?.pid).toBe(writer.pid);
    // An acknowledged write must survive the kill that follows.
    const client = await connectHttp(port, createApiKey(tenant).key);
    const answer = await client.callTool({ name: 'remember', arguments: { text: 'The vault code rotates every Tuesday.' } });
    expect(answer.isError).toBeFalsy();
    await client.close();
    await stopProcess(writer, 'SIGKILL');
    expect(query(path.join(tenant.dataDir, 'graph.db'), "SELECT 1 FROM chunks WHERE text LIKE '%vault code%'")).toHaveLength(1);
    expect(fs.existsSync(path.join(tenant.dataDir, 'writer.lock'))).toBe(true); // left behind

    const next = openEngine(tenant);
    expect(readLock(tenant.dataDir)?.pid).toBe(process.pid);
    next.close();
  });

  it('refuses a second `hydramem serve` with a message naming the first', async () => {
    const tenant = makeTenant();
    const { writer } = await startHttpWriter(tenant);
    try {
      const second = runCli(['serve'], { ...tenant.env, HYDRAMEM_TRANSPORT: 'http', MCP_PORT: String(await freePort()) });
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`pid ${writer.pid} (hydramem serve)`);
    } finally {
      await stopProcess(writer);
    }
    expect(fs.existsSync(path.join(tenant.dataDir, 'writer.lock'))).toBe(false); // clean stop releases it
  });

  it('treats a lock whose PID now belongs to another program as stale', async () => {
    const tenant = makeTenant();
    fs.mkdirSync(tenant.dataDir, { recursive: true });
    const sleeper = spawn('sleep', ['30']);
    await waitFor(() => sleeper.pid);
    fs.writeFileSync(
      path.join(tenant.dataDir, 'writer.lock'),
      JSON.stringify({
        pid: sleeper.pid,
        pidStart: '1',
        host: (await import('node:os')).hostname(),
        command: 'hydramem serve',
        startedAt: '2026-01-01T00:00:00Z',
      }),
    );
    try {
      const engine = openEngine(tenant);
      engine.close();
    } finally {
      sleeper.kill();
    }
  });
});
