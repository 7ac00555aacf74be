import type { ReadDB } from '../store/read-db';
import { callRollups, eventRollups, zeroResultSearches, type CallRollupRow } from '../store/sql/call-rollups';
import { hasTable } from '../store/open-readonly';
import { splitWindow, type TimeWindow } from './window';

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
    const edgeRows = eventRollups(db, project, edge.from, edge.to);
    const first = edgeRows[0];
    // Zero results are in the query log, not in events: they go on one of the edge's rows.
    if (first && rollups) first.zero_results = zeroResultSearches(db, project, edge.from, edge.to);
    rows.push(...edgeRows);
  }
  return rows;
}
