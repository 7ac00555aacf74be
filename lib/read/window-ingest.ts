import type { ReadDB } from '../store/read-db';
import type { IngestRollupRow } from './ingest-totals';
import { splitWindow, type TimeWindow } from './window';

const COLUMNS = `status, files, chunks_added, chunks_removed, entities_added, entities_removed, relations_added,
  relations_removed, duration_sum_ms`;

/**
 * The ingest rows of exactly one window: whole hours from ingest_rollup_hourly, the partial hours at
 * its ends from ingest_runs (at most two hours of runs). Sum them with totalIngest.
 */
export function ingestRowsOfWindow(db: ReadDB, project: string, window: TimeWindow): IngestRollupRow[] {
  const { hours, edges } = splitWindow(window);
  const rows = hours
    ? db
        .prepare<[string, string, string], IngestRollupRow>(
          `SELECT hour, ${COLUMNS} FROM ingest_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?`,
        )
        .all(project, hours.from, hours.to)
    : [];
  const raw = db.prepare<[string, string, string, string], IngestRollupRow>(
    `SELECT ? AS hour, status, COUNT(*) AS files, SUM(chunks_added) AS chunks_added, SUM(chunks_removed) AS chunks_removed,
       SUM(entities_added) AS entities_added, SUM(entities_removed) AS entities_removed,
       SUM(relations_added) AS relations_added, SUM(relations_removed) AS relations_removed,
       SUM(duration_ms) AS duration_sum_ms
     FROM ingest_runs WHERE project = ? AND ts >= ? AND ts < ? GROUP BY status`,
  );
  for (const edge of edges) rows.push(...raw.all(edge.from, project, edge.from, edge.to));
  return rows;
}
