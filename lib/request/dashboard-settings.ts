import os from 'node:os';
import { ConfigError, raw, readInt, type Env } from '../config';

/** The dashboard's limits, Datasette-style settings; `hydramem dashboard` checks them at start. */
export interface DashboardSettings {
  /** How long one read may take before it is stopped and its panel says so (DASHBOARD_QUERY_BUDGET_MS). */
  queryBudgetMs: number;
  /** Worker threads that run reads at most (DASHBOARD_READ_THREADS); one stays when idle. */
  readThreads: number;
  /** Rows an export may hold (DASHBOARD_EXPORT_MAX_ROWS); a bigger one ends with a truncation marker. */
  exportMaxRows: number;
  /** Minutes between background quick_checks of both stores (DASHBOARD_INTEGRITY_CHECK_MINUTES); 0 is never. */
  integrityCheckMinutes: number;
  /** V8 heap of the dashboard process in MB (DASHBOARD_HEAP_MB; applied by bin/hydramem.cjs at start). */
  heapMb: number;
  /** Minutes without requests after which a socket-activated dashboard exits (DASHBOARD_IDLE_EXIT_MINUTES); 0 is never. */
  idleExitMinutes: number;
  /** How long a page read's answer, or a rendered page, may serve other requests while the stores are unchanged (DASHBOARD_READ_REUSE_MS); 0 is never. */
  readReuseMs: number;
}

/** Minutes, fractions allowed (`0.5`), from 0 to a week. */
function readMinutes(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || parsed > 10_080)
    throw new ConfigError(name, value, 'minutes from 0 to 10080 (0.5 is half a minute)');
  return parsed;
}

/** Set by `hydramem dashboard` (before Next loads) to the built read worker beside the build. */
export const READ_WORKER_ENV = 'HYDRAMEM_READ_WORKER';

let cached: DashboardSettings | null = null;

export function loadDashboardSettings(env: Env = process.env): DashboardSettings {
  return {
    queryBudgetMs: readInt(env, 'DASHBOARD_QUERY_BUDGET_MS', 2000, 50, 600_000),
    // Reads are CPU-bound: a couple more threads than cores lets a quick read pass a slow one.
    readThreads: readInt(env, 'DASHBOARD_READ_THREADS', Math.max(2, os.availableParallelism() + 2), 1, 64),
    exportMaxRows: readInt(env, 'DASHBOARD_EXPORT_MAX_ROWS', 100_000, 1, 1_000_000),
    integrityCheckMinutes: readInt(env, 'DASHBOARD_INTEGRITY_CHECK_MINUTES', 60, 0, 10_080),
    heapMb: readInt(env, 'DASHBOARD_HEAP_MB', 384, 64, 16_384),
    idleExitMinutes: readMinutes(env, 'DASHBOARD_IDLE_EXIT_MINUTES', 0),
    readReuseMs: readInt(env, 'DASHBOARD_READ_REUSE_MS', 1000, 0, 60_000),
  };
}

/** The settings inside the dashboard process (validated once by the command before Next starts). */
export function dashboardSettings(): DashboardSettings {
  cached ??= loadDashboardSettings();
  return cached;
}
