import type { ReadDB } from '../store/read-db';
import { callRollups, eventRollups, zeroResultSearches, type CallRollupRow } from '../store/sql/call-rollups';
import { hasTable } from '../store/open-readonly';
import { splitWindow, type TimeWindow } from './window';

/** Whether the project has no call recorded at or after `ts` (one step of the (project, ts) index). */
function nothingFrom(db: ReadDB, project: string, ts: string): boolean {
  return !db
    .prepare<[string, string], { found: number }>('SELECT 1 AS found FROM events WHERE project = ? AND ts >= ? LIMIT 1')
    .get(project, ts);
}

/**
 * The call rows of exactly one window: whole hours from the rollups, the partial hours at its ends
 * from the raw events (so a 1-hour window counts the calls of that hour, not of the two hours it
 * overlaps). Sum them with totalCalls.
 */
export function callRowsOfWindow(db: ReadDB, project: string, window: TimeWindow): CallRollupRow[] {
  const { hours, edges } = splitWindow(window);
  const rows = hours ? callRollups(db, project, hours.from, hours.to) : [];
  const rollups = hasTable(db, 'call_rollup_hourly');
  for (const edge of edges) {
    // A window that ends now ends in the hour the writer is recording: with no call after the
    // window's end, that hour's rollup holds exactly the edge's calls, and is one row per tool
    // where the raw events are every call of the hour so far.
    if (rollups && hours && edge.from === hours.to && nothingFrom(db, project, edge.to)) {
      rows.push(...callRollups(db, project, edge.from, edge.to));
      continue;
    }
    const edgeRows = eventRollups(db, project, edge.from, edge.to);
    const first = edgeRows[0];
    // Zero results are in the query log, not in events: they go on one of the edge's rows.
    if (first && rollups) first.zero_results = zeroResultSearches(db, project, edge.from, edge.to);
    rows.push(...edgeRows);
  }
  return rows;
}
