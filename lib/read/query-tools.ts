import { hasTable } from '../store/open-readonly';
import { readModel } from './read-model';

/** The tools that searched, for the filter menu (a handful). */
export const queryTools = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): string[] {
    if (!hasTable(metrics.db, 'query_log')) return [];
    // The rollups name every tool that searched, in a few rows instead of the whole log.
    const source = hasTable(metrics.db, 'call_rollup_hourly')
      ? 'SELECT DISTINCT tool FROM call_rollup_hourly WHERE project = ? AND searches > 0 ORDER BY tool LIMIT 50'
      : 'SELECT DISTINCT tool FROM query_log WHERE project = ? ORDER BY tool LIMIT 50';
    return metrics.db
      .prepare<[string], { tool: string }>(source)
      .all(scope.project)
      .map((row) => row.tool);
  },
});
