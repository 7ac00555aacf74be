import type { GardenRunRow } from '../store/garden-run';
import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

/** A run as the page shows it (the pid stays with the writer). */
export type GardenRun = Omit<GardenRunRow, 'pid'>;

export interface GardenHistory {
  /** Runs started in the range, newest first (at most RUNS_LIMIT). */
  runs: GardenRun[];
  truncated: boolean;
  /** The newest run whatever the range, and the newest failed one. */
  latest: GardenRun | null;
  lastFailure: GardenRun | null;
}

export const RUNS_LIMIT = 500;

const COLUMNS =
  'id, started_at, finished_at, status, trigger, entities_merged, orphans_pruned, relations_decayed, entities_boosted, duration_ms, error';

/** The Night Gardener's runs for a project; null for a store without them (a Python or older file). */
export function gardenHistory(db: DB, project: string, range: TimeRange): GardenHistory | null {
  if (!hasTable(db, 'garden_runs')) return null;
  const { from, to } = tsBounds(range);
  const runs = db
    .prepare<[string, string, string, number], GardenRun>(
      `SELECT ${COLUMNS} FROM garden_runs WHERE project = ? AND started_at >= ? AND started_at < ?
       ORDER BY started_at DESC, id DESC LIMIT ?`,
    )
    .all(project, from, to, RUNS_LIMIT + 1);
  const newest = (where: string): GardenRun | null =>
    db
      .prepare<[string], GardenRun>(
        `SELECT ${COLUMNS} FROM garden_runs WHERE project = ? ${where} ORDER BY started_at DESC, id DESC LIMIT 1`,
      )
      .get(project) ?? null;
  return {
    runs: runs.slice(0, RUNS_LIMIT),
    truncated: runs.length > RUNS_LIMIT,
    latest: newest(''),
    lastFailure: newest("AND status = 'failed'"),
  };
}
