import type { DB } from '../store/open-writer';
import { tsBounds } from './sql-time';
import type { TimeRange } from './range';

/** Every table whose rows are events of the tenant's memory, with the column that dates them. */
const EVENT_TIMES = [
  ['events', 'ts'],
  ['ingest_runs', 'ts'],
  ['garden_runs', 'COALESCE(finished_at, started_at)'],
  ['federation_log', 'ts'],
] as const;

/**
 * "Data as of": the time of the project's newest event up to the range's end, or null when there
 * is none. Bounded by the range so that a report of a past window stays the same as the writer
 * goes on recording. A Python HydraMem file has only `events`.
 */
export function dataAsOf(db: DB, project: string, range: Pick<TimeRange, 'to'>, pythonFile: boolean): string | null {
  const { to } = tsBounds({ from: range.to, to: range.to });
  const tables = pythonFile ? EVENT_TIMES.slice(0, 1) : EVENT_TIMES;
  const newest = tables.map(
    ([table, column]) =>
      db
        .prepare<[string, string], { ts: string | null }>(
          `SELECT MAX(${column}) AS ts FROM ${table} WHERE project = ? AND ${column} <= ?`,
        )
        .get(project, to)?.ts ?? null,
  );
  return newest.reduce<string | null>((latest, ts) => (ts !== null && (latest === null || ts > latest) ? ts : latest), null);
}
