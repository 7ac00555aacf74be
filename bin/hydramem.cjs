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
/** Node flags this process was started with, on its command line or in NODE_OPTIONS. */
const givenFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;

function dashboardHeapFlag() {
  if (process.argv[2] !== 'dashboard') return null;
  if (givenFlags.includes('--max-old-space-size')) return null;
  const value = process.env.DASHBOARD_HEAP_MB ?? '384';
  return /^\d+$/.test(value) && Number(value) >= 64 ? `--max-old-space-size=${value}` : null;
}

/**
 * Memory an idle dashboard need not hold: a young generation of 2 MB semi-spaces instead of V8's
 * 16 MB (its pages' objects are short-lived; about 30 MB less RSS), two malloc arenas instead of
 * eight per core for its read threads' SQLite caches, and gc() exposed so that the server can
 * collect once it has gone quiet (bin/idle-collect.ts; V8 alone keeps the heap a busy spell grew).
 */
const DASHBOARD_V8_FLAGS = ['--max-semi-space-size=2', '--expose-gc'];
const DASHBOARD_MALLOC_ARENAS = '2';

/**
 * jemalloc (Debian's libjemalloc2) in place of glibc's malloc when it is installed: glibc keeps the
 * memory SQLite's page caches and the read threads freed, jemalloc hands it back to the system
 * within seconds (about 30 MB less for an idle dashboard, docs/performance.md). LD_PRELOAD set by the
 * operator, even to nothing, is kept as it is.
 */
const JEMALLOC = 'libjemalloc.so.2';
const LIBRARY_DIRS = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
];

function mallocPreload() {
  if (process.env.LD_PRELOAD !== undefined || process.platform !== 'linux') return {};
  return LIBRARY_DIRS.some((dir) => fs.existsSync(path.join(dir, JEMALLOC))) ? { LD_PRELOAD: JEMALLOC } : {};
}

const heapFlag = dashboardHeapFlag();
if (heapFlag) {
  // A socket systemd handed over (LISTEN_FDS, from fd 3) is passed on at the same descriptors.
  const sockets = process.env.LISTEN_PID === String(process.pid) ? Number(process.env.LISTEN_FDS) || 0 : 0;
  const v8Flags = DASHBOARD_V8_FLAGS.filter((flag) => !givenFlags.includes(flag.split('=')[0]));
  const child = spawn(process.execPath, [...process.execArgv, heapFlag, ...v8Flags, __filename, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', ...Array.from({ length: sockets }, (_, index) => 3 + index)],
    // The dashboard ends itself if this process goes away without passing a signal on (SIGKILL).
    env: {
      MALLOC_ARENA_MAX: DASHBOARD_MALLOC_ARENAS,
      ...mallocPreload(),
      ...process.env,
      HYDRAMEM_LAUNCHER_PID: String(process.pid),
    },
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
