import type { ReadDB } from '../read-db';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../scope';

export interface GraphCounts {
  documents: number;
  chunks: number;
  entities: number;
  relations: number;
}

/** How big one project's graph is now: all of it, or what a reader in `scope` may see. */
export function graphCounts(db: ReadDB, project: string, scope?: ReadScopeFilter): GraphCounts {
  const filter = scope ? ` AND ${visibleTo('t')}` : '';
  const params = { project, ...(scope ? scopeParams(scope) : {}) };
  const count = (table: keyof GraphCounts): number =>
    db.prepare<typeof params, { n: number }>(`SELECT COUNT(*) AS n FROM ${table} t WHERE project = @project${filter}`).get(params)
      ?.n ?? 0;
  return { documents: count('documents'), chunks: count('chunks'), entities: count('entities'), relations: count('relations') };
}
