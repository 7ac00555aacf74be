import type { GraphStatsSnapshot } from '../store/graph-stats';
import type { DB } from '../store/open-writer';

export interface GraphSnapshot {
  computedAt: string;
  stats: GraphStatsSnapshot;
}

/** The writer's latest graph-statistics snapshot for a project, or null before the first one. */
export function graphSnapshot(db: DB, project: string): GraphSnapshot | null {
  const row = db
    .prepare<[string], { computed_at: string; stats_json: string }>(
      'SELECT computed_at, stats_json FROM graph_stats WHERE project = ?',
    )
    .get(project);
  if (!row) return null;
  try {
    return { computedAt: row.computed_at, stats: JSON.parse(row.stats_json) as GraphStatsSnapshot };
  } catch {
    return null;
  }
}
