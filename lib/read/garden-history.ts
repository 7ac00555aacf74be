import type { GardenRunRow } from '../store/garden-run';
import { hasTable } from '../store/open-readonly';
import { parseTimestamp } from '../store/time';
import { groupIntoBuckets } from './buckets';
import { readModel } from './read-model';
import { tsBounds } from './window';

/** A run as the page shows it (the pid stays with the writer). */
export type GardenRun = Omit<GardenRunRow, 'pid'>;

/** One chart bucket: runs started in it by status, the work they did, the longest finished run. */
export interface GardenBucket {
  start: number;
  ok: number;
  failed: number;
  running: number;
  merged: number;
  pruned: number;
  decayed: number;
  boosted: number;
  /** Null where no run finished in the bucket (a gap, not zero). */
  maxDurationMs: number | null;
}

export interface GardenHistory {
  /** Runs started in the range, newest first (at most RUNS_LIMIT). */
  runs: GardenRun[];
  truncated: boolean;
  /** Every run started in the range, per chart bucket; empty when there were none. */
  buckets: GardenBucket[];
  /** The newest run whatever the range, and the newest failed one. */
  latest: GardenRun | null;
  lastFailure: GardenRun | null;
}

export const RUNS_LIMIT = 500;

const COLUMNS =
  'id, started_at, finished_at, status, trigger, entities_merged, orphans_pruned, relations_decayed, entities_boosted, duration_ms, error';

function bucketOf(group: readonly GardenRun[], start: number): GardenBucket {
  const finished = group.flatMap((run) => (run.duration_ms === null ? [] : [run.duration_ms]));
  const sum = (pick: (run: GardenRun) => number): number => group.reduce((total, run) => total + pick(run), 0);
  const count = (status: GardenRun['status']): number => group.filter((run) => run.status === status).length;
  return {
    start,
    ok: count('ok'),
    failed: count('failed'),
    running: count('running'),
    merged: sum((run) => run.entities_merged),
    pruned: sum((run) => run.orphans_pruned),
    decayed: sum((run) => run.relations_decayed),
    boosted: sum((run) => run.entities_boosted),
    maxDurationMs: finished.length > 0 ? Math.max(...finished) : null,
  };
}

/** Runs into the chart buckets by the time they started. */
export function gardenBuckets(runs: readonly GardenRun[], starts: readonly number[]): GardenBucket[] {
  return groupIntoBuckets(runs, (run) => parseTimestamp(run.started_at), starts, bucketOf);
}

/** The Night Gardener's runs for the project; null for a store without them (a Python or older file). */
export const gardenHistory = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): GardenHistory | null {
    const { db } = metrics;
    if (!hasTable(db, 'garden_runs')) return null;
    const { from, to } = tsBounds(scope);
    const all = db
      .prepare<[string, string, string], GardenRun>(
        `SELECT ${COLUMNS} FROM garden_runs WHERE project = ? AND started_at >= ? AND started_at < ? ORDER BY started_at DESC, id DESC`,
      )
      .all(scope.project, from, to);
    const newest = (where: string): GardenRun | null =>
      db
        .prepare<[string], GardenRun>(
          `SELECT ${COLUMNS} FROM garden_runs WHERE project = ? ${where} ORDER BY started_at DESC, id DESC LIMIT 1`,
        )
        .get(scope.project) ?? null;
    return {
      runs: all.slice(0, RUNS_LIMIT),
      truncated: all.length > RUNS_LIMIT,
      buckets: all.length > 0 ? gardenBuckets(all, scope.buckets) : [],
      latest: newest(''),
      lastFailure: newest("AND status = 'failed'"),
    };
  },
});
