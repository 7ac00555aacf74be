import type { ReadDB } from '../read-db';
import { currentRelation } from '../relation-validity';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../scope';

export interface GraphCounts {
  documents: number;
  chunks: number;
  entities: number;
  relations: number;
}

/**
 * How big one project's graph is now: all of it, or what a reader in `scope` may see. Relations
 * are those that hold now (closed periods are history, not size).
 */
export function graphCounts(db: ReadDB, project: string, scope?: ReadScopeFilter): GraphCounts {
  const filter = scope ? ` AND ${visibleTo('t')}` : '';
  const params = { project, ...(scope ? scopeParams(scope) : {}) };
  const count = (table: keyof GraphCounts): number => {
    const current = table === 'relations';
    // Relations: `+project` keeps the planner off (project, type), which would read every row for its
    // valid_until; the open-periods index holds exactly the current rows (4× faster at 160k relations).
    const project = current ? '+project' : 'project';
    const period = current ? ` AND ${currentRelation('t')}` : '';
    const sql = `SELECT COUNT(*) AS n FROM ${table} t WHERE ${project} = @project${filter}${period}`;
    return db.prepare<typeof params, { n: number }>(sql).get(params)?.n ?? 0;
  };
  return { documents: count('documents'), chunks: count('chunks'), entities: count('entities'), relations: count('relations') };
}
