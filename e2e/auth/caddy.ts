import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/helpers';
import { ROOT } from '../tenant';

const SNIPPET = path.join(ROOT, 'deploy', 'caddy', 'hydramem-tenant.caddy');

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`caddy exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`caddy did not listen on ${port}: ${output()}`);
}

/**
 * Debian's caddy in front of a tenant's dashboard, configured with the shipped snippet from
 * deploy/caddy exactly as a deployment imports it (plain HTTP on loopback for the test).
 */
export async function startCaddy(options: { dashboardPort: number; secret: string; authPort: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-caddy-'));
  const port = await freePort();
  const caddyfile = path.join(dir, 'Caddyfile');
  fs.writeFileSync(
    caddyfile,
    `{
	admin off
	auto_https off
	storage file_system ${dir}/storage
}

import ${SNIPPET}

:${port} {
	import hydramem_tenant ${options.dashboardPort} ${options.secret} 127.0.0.1:${options.authPort}
}
`,
  );
  const child = spawn('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  await waitForPort(port, child, () => output);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
