import { hasTable } from '../store/open-readonly';
import { hourlyRowsIn } from './buckets';
import { ingestSeries, totalIngest, type IngestPoint, type IngestRollupRow, type IngestTotals } from './ingest-totals';
import { readModel } from './read-model';
import { ingestRowsOfWindow } from './window-ingest';
import { hourBounds, previousWindow } from './window';

export interface IngestActivity {
  /** Exactly the runs of the window. */
  current: IngestTotals;
  /** Exactly the runs of the window of the same length just before. */
  previous: IngestTotals;
  series: IngestPoint[];
}

/**
 * Files by status and graph changes, this window, the one before and per chart bucket, from the
 * hourly ingest rollups (raw runs only for the partial hours at a window's ends). Null for a Python
 * HydraMem file, which has none.
 */
export const ingestActivity = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): IngestActivity | null {
    if (!hasTable(metrics.db, 'ingest_rollup_hourly')) return null;
    const rows = metrics.db
      .prepare<[string, string, string], IngestRollupRow>(
        `SELECT hour, status, files, chunks_added, chunks_removed, entities_added, entities_removed, relations_added,
           relations_removed, duration_sum_ms FROM ingest_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?`,
      )
      .all(scope.project, hourBounds(scope).from, hourBounds(scope).to);
    return {
      current: totalIngest(ingestRowsOfWindow(metrics.db, scope.project, scope)),
      previous: totalIngest(ingestRowsOfWindow(metrics.db, scope.project, previousWindow(scope))),
      series: ingestSeries(hourlyRowsIn(rows, scope), scope.buckets),
    };
  },
});
