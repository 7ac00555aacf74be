import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** The production Next.js server (one process, stops cleanly), bound to loopback. */
export async function startDashboard(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(port)],
    { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(url)).status < 500) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
