import { readModel } from './read-model';
import { tsBounds } from './window';

/** Every table whose rows are events of the tenant's memory, with the column that dates them. */
const EVENT_TIMES = [
  ['events', 'ts'],
  ['ingest_runs', 'ts'],
  ['garden_runs', 'COALESCE(finished_at, started_at)'],
  ['federation_log', 'ts'],
] as const;

/**
 * "Data as of": the time of the project's newest event up to the window's end, or null when there
 * is none. Bounded by the window so that a report of a past window stays the same as the writer
 * goes on recording. A Python HydraMem file has only `events`.
 */
export const dataAsOf = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): string | null {
    const { to } = tsBounds(scope);
    const tables = metrics.pythonCompatible ? EVENT_TIMES.slice(0, 1) : EVENT_TIMES;
    let latest: string | null = null;
    for (const [table, column] of tables) {
      const ts =
        metrics.db
          .prepare<[string, string], { ts: string | null }>(
            `SELECT MAX(${column}) AS ts FROM ${table} WHERE project = ? AND ${column} <= ?`,
          )
          .get(scope.project, to)?.ts ?? null;
      if (ts !== null && (latest === null || ts > latest)) latest = ts;
    }
    return latest;
  },
});
