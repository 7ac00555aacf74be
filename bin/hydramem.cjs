#!/usr/bin/env node
// Entry point of the `hydramem` command: runs the bundle that `npm run build` writes.
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const bundle = path.join(__dirname, '..', 'dist', 'hydramem.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('hydramem: the command line is not built yet: run `npm run build` (or `npm run setup`) first.\n');
  process.exit(1);
}

/**
 * The dashboard renders pages all day and V8 collects lazily: with its default heap limit (a
 * quarter of RAM) one dashboard grew past 2 GB under load without leaking. It runs with a heap of
 * DASHBOARD_HEAP_MB (384) instead, set here because V8 takes the limit only at start. An invalid
 * value is passed on as it is, for the dashboard command to refuse with its own message.
 */
function dashboardHeapFlag() {
  if (process.argv[2] !== 'dashboard') return null;
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (given.includes('--max-old-space-size')) return null;
  const value = process.env.DASHBOARD_HEAP_MB ?? '384';
  return /^\d+$/.test(value) && Number(value) >= 64 ? `--max-old-space-size=${value}` : null;
}

const heapFlag = dashboardHeapFlag();
if (heapFlag) {
  // A socket systemd handed over (LISTEN_FDS, from fd 3) is passed on at the same descriptors.
  const sockets = process.env.LISTEN_PID === String(process.pid) ? Number(process.env.LISTEN_FDS) || 0 : 0;
  const child = spawn(process.execPath, [...process.execArgv, heapFlag, __filename, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', ...Array.from({ length: sockets }, (_, index) => 3 + index)],
    // The dashboard ends itself if this process goes away without passing a signal on (SIGKILL).
    env: { ...process.env, HYDRAMEM_LAUNCHER_PID: String(process.pid) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  require(bundle);
}
