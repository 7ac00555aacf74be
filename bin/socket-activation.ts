import { UserError } from '../lib/engine/errors';
import type { Env } from '../lib/config';

/** systemd passes sockets from file descriptor 3 on (SD_LISTEN_FDS_START). */
const FIRST_FD = 3;

/**
 * The listening socket systemd (or `systemd-socket-activate`) handed this process, as a file
 * descriptor, or null when it was started without one. The variables are meant for the process
 * whose PID is LISTEN_PID: that is this one, or the launcher (bin/hydramem.cjs) that started this
 * one with the socket passed on. They are removed so that nothing this process starts sees them.
 */
export function inheritedListenFd(env: Env = process.env, pid = process.pid, ppid = process.ppid): number | null {
  const fds = env.LISTEN_FDS;
  const listenPid = Number(env.LISTEN_PID);
  const viaLauncher = Number(env.HYDRAMEM_LAUNCHER_PID) === ppid && listenPid === ppid;
  if (!fds || (listenPid !== pid && !viaLauncher)) return null;
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  if (fds !== '1') {
    throw new UserError(
      `systemd passed ${fds} sockets (LISTEN_FDS); the dashboard listens on exactly one: give its socket unit one ListenStream.`,
      2,
    );
  }
  return FIRST_FD;
}

/**
 * Calls `onIdle` once when no request has been in progress for `idleMs`: a socket-activated
 * dashboard exits then, and systemd starts it again on the next connection.
 */
export function watchIdle(idleMs: number, onIdle: () => void): { requestStarted(): void; requestEnded(): void } {
  let active = 0;
  let lastActivity = Date.now();
  const timer = setInterval(
    () => {
      if (active === 0 && Date.now() - lastActivity >= idleMs) {
        clearInterval(timer);
        onIdle();
      }
    },
    Math.min(5000, Math.max(100, idleMs / 4)),
  );
  timer.unref();
  return {
    requestStarted: () => {
      active += 1;
      lastActivity = Date.now();
    },
    requestEnded: () => {
      active -= 1;
      lastActivity = Date.now();
    },
  };
}
