import { ingestSeries, totalIngest, type IngestPoint, type IngestRollupRow, type IngestTotals } from '../charts/ingest-rollups';
import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';
import { hourBucket } from '../store/time';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

export interface IngestActivity {
  totals: IngestTotals;
  series: IngestPoint[];
}

/** Files by status and graph changes over time, from the hourly ingest rollups (never the raw rows). */
export function ingestActivity(db: DB, project: string, range: TimeRange): IngestActivity | null {
  if (!hasTable(db, 'ingest_rollup_hourly')) return null;
  const rows = db
    .prepare<[string, string, string], IngestRollupRow>(
      `SELECT hour, status, files, chunks_added, chunks_removed, entities_added, entities_removed, relations_added, relations_removed,
         duration_sum_ms FROM ingest_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?`,
    )
    .all(project, hourBucket(range.from), tsBounds(range).to);
  return { totals: totalIngest(rows), series: ingestSeries(rows, range) };
}
