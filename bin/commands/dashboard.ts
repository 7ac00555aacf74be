import type { Command } from 'commander';
import { loadAuthConfig } from '../../lib/auth/auth-config';
import { loadDashboardSettings } from '../../lib/request/dashboard-settings';
import { URI_ENV } from '../../lib/store/open-readonly';
import { action, configWith, parsePositiveInt } from '../cli-support';
import { startDashboardServer } from '../dashboard-server';
import { inheritedListenFd, watchIdle } from '../socket-activation';

const log = (line: string): void => void process.stderr.write(`hydramem dashboard: ${line}\n`);

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description("Serve the read-only dashboard (the production build) over this tenant's stores")
    .option('--port <port>', 'port (one per tenant)', parsePositiveInt('--port', 65535), 8765)
    .option('--host <host>', 'bind address', '127.0.0.1')
    .addHelpText(
      'after',
      '\nSign-in: DASHBOARD_AUTH_MODE is required: proxy (Caddy + Authelia headers with DASHBOARD_PROXY_SECRET),\n' +
        'oidc (DASHBOARD_PUBLIC_URL, DASHBOARD_OIDC_ISSUER, DASHBOARD_OIDC_CLIENT_ID, DASHBOARD_SESSION_SECRET) or\n' +
        'none (DASHBOARD_ALLOW_NO_AUTH=1, loopback only). stdout carries one JSON access-log line per request.\n' +
        'See README.md and deploy/README.md.',
    )
    .action(
      action(async (options: { port: number; host: string }) => {
        // Before better-sqlite3 loads: lets the dashboard open a stopped writer's stores without leaving files.
        process.env[URI_ENV] = '1';
        // Next's own messages without colour codes: every line on stderr is escaped for the terminal.
        process.env.NO_COLOR = '1';
        const config = configWith({});
        const auth = loadAuthConfig(process.env, config.tenant, options.host);
        const settings = loadDashboardSettings(); // a bad DASHBOARD_* setting stops here, before Next starts
        const listenFd = inheritedListenFd();
        let stop = (): void => {};
        const activity = idleWatch(settings.idleExitMinutes, listenFd, () => stop());
        const server = await startDashboardServer({ host: options.host, port: options.port, auth, listenFd, activity });
        const via = listenFd === null ? '' : ' (socket from systemd)';
        log(
          `tenant ${config.tenant}, project ${config.project}, data ${config.dataDir}, sign-in ${auth.mode}: ${server.url}${via}`,
        );
        await new Promise<void>((resolve) => {
          let stopping = false;
          // A signal may arrive twice (to the process group and passed on by the launcher): stop once.
          stop = (): void => {
            if (stopping) return;
            stopping = true;
            void server.close().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
          process.on('SIGHUP', stop);
          endWithLauncher(stop);
        });
      }),
    );
}

/**
 * The idle exit: only for a dashboard systemd started on a connection (it starts it again on the
 * next one); one that bound its own port would leave the port dead.
 */
function idleWatch(minutes: number, listenFd: number | null, stop: () => void) {
  if (minutes === 0) return undefined;
  if (listenFd === null) {
    log(
      'DASHBOARD_IDLE_EXIT_MINUTES applies to a socket-activated dashboard only (hydramem-dashboard@.socket): this one keeps running',
    );
    return undefined;
  }
  return watchIdle(minutes * 60_000, () => {
    log(`no request for ${minutes} min: exiting; systemd starts the dashboard again on the next connection`);
    stop();
  });
}

/** Started by bin/hydramem.cjs (for its heap limit): stop when that process is gone, however it ended. */
function endWithLauncher(stop: () => void): void {
  const launcher = Number(process.env.HYDRAMEM_LAUNCHER_PID);
  if (!launcher) return;
  const timer = setInterval(() => {
    if (process.ppid !== launcher) stop();
  }, 1000);
  timer.unref();
}
