import type { DB } from '../store/open-writer';
import { graphCounts } from '../store/sql/graph-counts';
import { DEGREE_BANDS, type GraphStatsSnapshot } from '../store/graph-stats';
import { currentRelation } from '../store/relation-validity';
import { isoTimestamp } from '../store/time';
import { connectedComponents } from './graph-components';
import { recordGraphSize } from './graph-size-log';

const TOP_HUBS = 20;
const ORPHAN_SAMPLE = 20;

const OPEN = currentRelation('r');

/**
 * Computes the graph-statistics snapshot of one project (a few full scans: run it after ingests,
 * not per request), over the relations that hold now.
 */
export function computeGraphStats(db: DB, project: string): GraphStatsSnapshot {
  const byType = (table: 'entities' | 'relations') =>
    db
      .prepare<[string], { type: string; count: number }>(
        `SELECT type, COUNT(*) AS count FROM ${table} r WHERE project = ?${table === 'relations' ? ` AND ${OPEN}` : ''}
         GROUP BY type ORDER BY count DESC, type`,
      )
      .all(project);
  const degrees = db
    .prepare<[string, string, string], { id: string; name: string; type: string; degree: number }>(
      `SELECT e.id, e.name, e.type, COALESCE(o.n, 0) + COALESCE(i.n, 0) AS degree FROM entities e
       LEFT JOIN (SELECT from_id AS id, COUNT(*) AS n FROM relations r WHERE project = ? AND ${OPEN} GROUP BY from_id) o ON o.id = e.id
       LEFT JOIN (SELECT to_id AS id, COUNT(*) AS n FROM relations r WHERE project = ? AND ${OPEN} GROUP BY to_id) i ON i.id = e.id
       WHERE e.project = ?`,
    )
    .all(project, project, project);
  const histogram = DEGREE_BANDS.map(([label, upTo]) => ({ label, upTo, count: 0 }));
  for (const entity of degrees) {
    const band = histogram.find((item) => item.upTo === null || entity.degree <= item.upTo);
    if (band) band.count += 1;
  }
  const orphans = db
    .prepare<[string], { id: string; name: string; type: string }>(
      `SELECT e.id, e.name, e.type FROM entities e WHERE e.project = ?
         AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id)
         AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.from_id = e.id AND ${OPEN})
         AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.to_id = e.id AND ${OPEN})
       ORDER BY e.name`,
    )
    .all(project);
  const confidence = db
    .prepare<[string], { bin: number; count: number }>(
      `SELECT MIN(9, MAX(0, CAST(confidence * 10 AS INTEGER))) AS bin, COUNT(*) AS count FROM relations r
       WHERE project = ? AND ${OPEN} GROUP BY bin`,
    )
    .all(project);
  return {
    totals: graphCounts(db, project),
    entitiesByType: byType('entities'),
    relationsByType: byType('relations'),
    degreeHistogram: histogram,
    topHubs: [...degrees].sort((a, b) => b.degree - a.degree || a.name.localeCompare(b.name)).slice(0, TOP_HUBS),
    orphans: { count: orphans.length, sample: orphans.slice(0, ORPHAN_SAMPLE) },
    confidenceHistogram: Array.from({ length: 10 }, (_, bin) => ({
      label: `${(bin / 10).toFixed(1)}–${((bin + 1) / 10).toFixed(1)}`,
      count: confidence.find((row) => row.bin === bin)?.count ?? 0,
    })),
    connectedComponents: connectedComponents(db, project),
  };
}

/** Recomputes and stores the snapshot (and logs the graph's size). */
export function refreshGraphStats(db: DB, project: string, now: Date): GraphStatsSnapshot {
  const snapshot = computeGraphStats(db, project);
  db.prepare(
    `INSERT INTO graph_stats (project, computed_at, stats_json) VALUES (?, ?, ?)
     ON CONFLICT(project) DO UPDATE SET computed_at = excluded.computed_at, stats_json = excluded.stats_json`,
  ).run(project, isoTimestamp(now), JSON.stringify(snapshot));
  recordGraphSize(db, project, now);
  return snapshot;
}
