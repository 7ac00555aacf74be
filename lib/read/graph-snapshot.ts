import type { GraphStatsSnapshot } from '../store/graph-stats';
import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';

type Named<T extends { name: string }> = Omit<T, 'name'> & { name: Sensitive };

export interface GraphSnapshot {
  computedAt: string;
  stats: Omit<GraphStatsSnapshot, 'topHubs' | 'orphans'> & {
    topHubs: Array<Named<GraphStatsSnapshot['topHubs'][number]>>;
    orphans: { count: number; sample: Array<Named<GraphStatsSnapshot['orphans']['sample'][number]>> };
  };
}

const withSensitiveName = <T extends { name: string }>(item: T): Named<T> => ({ ...item, name: sensitive(item.name) });

/** The writer's latest graph-statistics snapshot for the project, or null before the first one. */
export const graphSnapshot = readModel({
  needs: ['graph'],
  read({ graph }, scope): GraphSnapshot | null {
    const row = graph.db
      .prepare<[string], { computed_at: string; stats_json: string }>(
        'SELECT computed_at, stats_json FROM graph_stats WHERE project = ?',
      )
      .get(scope.project);
    if (!row) return null;
    let stats: GraphStatsSnapshot;
    try {
      stats = JSON.parse(row.stats_json) as GraphStatsSnapshot;
    } catch {
      return null;
    }
    return {
      computedAt: row.computed_at,
      stats: {
        ...stats,
        topHubs: stats.topHubs.map(withSensitiveName),
        orphans: { count: stats.orphans.count, sample: stats.orphans.sample.map(withSensitiveName) },
      },
    };
  },
});
