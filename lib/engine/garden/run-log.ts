import type { DB } from '../../store/open-writer';
import type { GardenRunRow } from '../../store/garden-run';
import { isoTimestamp } from '../../store/time';

export type GardenTrigger = 'schedule' | 'manual';

/** The counters a run stores in its garden_runs row. */
export interface GardenCounters {
  entitiesMerged: number;
  orphansPruned: number;
  relationsDecayed: number;
  entitiesBoosted: number;
}

export type { GardenRunRow };

export const GARDEN_RUN_COLUMNS =
  'id, started_at, finished_at, status, trigger, pid, entities_merged, orphans_pruned, relations_decayed, entities_boosted, duration_ms, error';

/**
 * Closes the rows of runs that died ('running' left behind by a killed process). Called while holding
 * the garden lock, which proves that no run of this data directory is alive, so the PIDs in the rows
 * (possibly reused by other programs since) need not be checked.
 */
export function markInterruptedRuns(db: DB, project: string, now: Date): number {
  return db
    .prepare(
      `UPDATE garden_runs SET status = 'failed', error = 'interrupted', finished_at = ?
       WHERE project = ? AND status = 'running'`,
    )
    .run(isoTimestamp(now), project).changes;
}

export function insertRunningRow(db: DB, project: string, trigger: GardenTrigger, startedAt: Date): number {
  const result = db
    .prepare(`INSERT INTO garden_runs (project, started_at, status, trigger, pid) VALUES (?, ?, 'running', ?, ?)`)
    .run(project, isoTimestamp(startedAt), trigger, process.pid);
  return Number(result.lastInsertRowid);
}

export function finishRunRow(
  db: DB,
  id: number,
  outcome: { finishedAt: Date; durationMs: number; counters: GardenCounters | null; error: string | null },
): void {
  const counters = outcome.counters ?? { entitiesMerged: 0, orphansPruned: 0, relationsDecayed: 0, entitiesBoosted: 0 };
  db.prepare(
    `UPDATE garden_runs SET finished_at = @finishedAt, status = @status, entities_merged = @entitiesMerged,
       orphans_pruned = @orphansPruned, relations_decayed = @relationsDecayed, entities_boosted = @entitiesBoosted,
       duration_ms = @durationMs, error = @error
     WHERE id = @id`,
  ).run({
    id,
    finishedAt: isoTimestamp(outcome.finishedAt),
    status: outcome.error === null ? 'ok' : 'failed',
    entitiesMerged: counters.entitiesMerged,
    orphansPruned: counters.orphansPruned,
    relationsDecayed: counters.relationsDecayed,
    entitiesBoosted: counters.entitiesBoosted,
    durationMs: outcome.durationMs,
    error: outcome.error,
  });
}

export function latestRuns(db: DB, project: string, limit: number): GardenRunRow[] {
  return db
    .prepare<[string, number], GardenRunRow>(
      `SELECT ${GARDEN_RUN_COLUMNS} FROM garden_runs WHERE project = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
    )
    .all(project, limit);
}

export interface GardenTotals {
  runs: number;
  ok: number;
  failed: number;
  entitiesMerged: number;
  orphansPruned: number;
  relationsDecayed: number;
  entitiesBoosted: number;
}

/** Cumulative counters over every run of the project, like the Python HydraMem's garden_status.json. */
export function runTotals(db: DB, project: string): GardenTotals {
  const row = db
    .prepare<[string], GardenTotals>(
      `SELECT COUNT(*) AS runs,
         COALESCE(SUM(status = 'ok'), 0) AS ok,
         COALESCE(SUM(status = 'failed'), 0) AS failed,
         COALESCE(SUM(entities_merged), 0) AS entitiesMerged,
         COALESCE(SUM(orphans_pruned), 0) AS orphansPruned,
         COALESCE(SUM(relations_decayed), 0) AS relationsDecayed,
         COALESCE(SUM(entities_boosted), 0) AS entitiesBoosted
       FROM garden_runs WHERE project = ?`,
    )
    .get(project);
  return row ?? { runs: 0, ok: 0, failed: 0, entitiesMerged: 0, orphansPruned: 0, relationsDecayed: 0, entitiesBoosted: 0 };
}
