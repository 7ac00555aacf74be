import type { CronSchedule } from '../../cron';
import { hasTable } from '../../store/open-readonly';
import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import { liveGardenHolder } from './garden-lock';
import { latestRuns, runTotals, type GardenRunRow, type GardenTotals } from './run-log';
import { nextRunAfter } from './schedule';

export interface GardenStatus {
  project: string;
  /** The cron expression `hydramem serve` runs the gardener on (server local time), or "off". */
  schedule: string;
  /** When a serving writer runs it next; null when the schedule is off. */
  nextScheduledRun: string | null;
  /** The run in progress in this data directory, if any. */
  running: { pid: number; command: string; startedAt: string } | null;
  lastRun: GardenRunRow | null;
  recentRuns: GardenRunRow[];
  totals: GardenTotals;
}

const RECENT_RUNS = 10;

/** The gardener's state from garden_runs and its lock file; reads only, so it works on a read-only store. */
export function gardenStatus(
  metricsDb: DB,
  settings: { project: string; dataDir: string; schedule: CronSchedule | null },
  now: Date,
): GardenStatus {
  // A Python HydraMem metrics.db, read before our writer migrated it, has no garden_runs yet.
  const recorded = hasTable(metricsDb, 'garden_runs');
  const recentRuns = recorded ? latestRuns(metricsDb, settings.project, RECENT_RUNS) : [];
  const holder = liveGardenHolder(settings.dataDir);
  const next = settings.schedule ? nextRunAfter(settings.schedule, now) : null;
  return {
    project: settings.project,
    schedule: settings.schedule?.expression ?? 'off',
    nextScheduledRun: next ? isoTimestamp(next) : null,
    running: holder ? { pid: holder.pid, command: holder.command, startedAt: holder.startedAt } : null,
    lastRun: recentRuns[0] ?? null,
    recentRuns,
    totals: recorded
      ? runTotals(metricsDb, settings.project)
      : { runs: 0, ok: 0, failed: 0, entitiesMerged: 0, orphansPruned: 0, relationsDecayed: 0, entitiesBoosted: 0 },
  };
}
