import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { format } from 'node:util';
import next from 'next';
import type { AuthConfig } from '../lib/auth/auth-config';
import { BIND_HOST_ENV } from '../lib/auth/dashboard-auth';
import { newViewerKey, VIEWER_KEY_ENV } from '../lib/auth/viewer';
import { UserError } from '../lib/engine/errors';
import { graphDbPath, loadConfig, metricsDbPath } from '../lib/config';
import { dashboardSettings, READ_WORKER_ENV } from '../lib/request/dashboard-settings';
import { forgetSharedReads, storesIdentity } from '../lib/request/read-reuse';
import { startIntegritySweep } from '../lib/request/store-health';
import { createGatekeeper } from './dashboard-gatekeeper';
import { collectWhenIdle } from './idle-collect';
import { servePage } from './page-replay';

/** The background integrity check of both stores (at start, then every DASHBOARD_INTEGRITY_CHECK_MINUTES). */
function startSweep(): () => void {
  const minutes = dashboardSettings().integrityCheckMinutes;
  if (minutes === 0) return () => {};
  const config = loadConfig();
  return startIntegritySweep({ metrics: metricsDbPath(config), graph: graphDbPath(config) }, minutes * 60_000);
}

const MAX_HEADER_BYTES = 64 * 1024;

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

/** The folder with package.json and the .next build, from the bundle in dist/ or the sources in bin/. */
export function appDir(): string {
  const candidates = [path.resolve(__dirname, '..'), process.cwd()];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, '.next', 'BUILD_ID')));
  if (!found) throw new UserError('the dashboard is not built yet: run `npm run build` (or `npm run setup`) first.', 2);
  return found;
}

/**
 * Serves the production Next.js build from a plain Node HTTP server, so that the process owns its
 * socket: it binds where it is told (loopback by default) and can see each request's peer address.
 */
export interface DashboardServerOptions {
  host: string;
  port: number;
  auth: AuthConfig;
  /** A listening socket handed over by systemd: served instead of binding host and port. */
  listenFd?: number | null;
  /** Told when each request starts and ends (the idle exit of a socket-activated dashboard). */
  activity?: { requestStarted(): void; requestEnded(): void };
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const viewerKey = newViewerKey();
  // Read by the Next side in this same process: the viewer-signing key, the bind address, and the
  // base URL next-auth builds every absolute URL from (never the Host header).
  process.env[VIEWER_KEY_ENV] = viewerKey;
  process.env[BIND_HOST_ENV] = options.host;
  const dir = appDir();
  process.env[READ_WORKER_ENV] = path.join(dir, 'dist', 'read-worker.cjs');
  delete process.env.AUTH_TRUST_HOST;
  delete process.env.VERCEL;
  if (options.auth.publicUrl) process.env.NEXTAUTH_URL = options.auth.publicUrl.origin;
  // stdout carries only the access log (one JSON object per line); Next's own messages go to stderr.
  console.log = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  const gate = createGatekeeper(options.auth, viewerKey);
  const app = next({ dev: false, dir, hostname: options.host, port: options.port });
  await app.prepare();
  (await import('../lib/request/read-pool')).startReadPool();
  const stopSweep = startSweep();
  const handle = app.getRequestHandler();
  const config = loadConfig();
  const files = { metrics: metricsDbPath(config), graph: graphDbPath(config) };
  const pages = { stores: () => storesIdentity(files), reuseMs: dashboardSettings().readReuseMs };
  // Node answers 431 itself, unlogged, past 16 KiB of request line and headers; with room for 64 KiB
  // the gate sees an overlong address and answers 414 with an access-log line.
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    if (options.activity) {
      options.activity.requestStarted();
      res.once('close', () => options.activity?.requestEnded());
    }
    gate(req, res)
      .then((pass) => (pass ? servePage(req, res, handle, pages) : undefined))
      .catch((error: unknown) => {
        process.stderr.write(`hydramem dashboard: request failed: ${String(error)}\n`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error');
      });
  });
  collectWhenIdle(server, forgetSharedReads);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`port ${options.port} on ${options.host} is already in use: choose another with --port.`, 2)
          : error,
      ),
    );
    if (options.listenFd != null) server.listen({ fd: options.listenFd }, () => resolve());
    else server.listen(options.port, options.host, () => resolve());
  });
  const bound = server.address();
  const address = bound && typeof bound === 'object' ? bound : { address: options.host, port: options.port };
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopSweep();
      await app.close();
      await (await import('../lib/request/read-pool')).closeReadPool();
    },
  };
}
