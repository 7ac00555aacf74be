import { spawn, type ChildProcess } from 'node:child_process';
import { UserError } from '../lib/engine/errors';

export interface DashboardChild {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `hydramem dashboard` as its own process beside the writer: the dashboard never shares
 * the writer's connections, exactly as in a deployment. Resolves once it listens. With `quiet`,
 * its messages are kept back and shown only if it stops before listening.
 */
export function startDashboardChild(
  env: Record<string, string | undefined>,
  port: number,
  options: { quiet?: boolean } = {},
): Promise<DashboardChild> {
  const script = process.argv[1] ?? 'bin/hydramem.cjs';
  const child: ChildProcess = spawn(process.execPath, [script, 'dashboard', '--port', String(port)], {
    env: { ...process.env, ...env },
    // stdout carries the per-request access log, which a deployment collects; the demo does not print it.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (!options.quiet) process.stderr.write(text);
      output += text;
      const match = /(http:\/\/\S+)\s*$/m.exec(output);
      if (match?.[1]) resolve({ url: match[1], stop: () => stopChild(child) });
    });
    child.once('exit', (code) => {
      const said = output.trim().split('\n').slice(-3).join('\n  ');
      reject(new UserError(`the dashboard exited (${code}) before it listened${said ? `:\n  ${said}` : ''}`, 6));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
