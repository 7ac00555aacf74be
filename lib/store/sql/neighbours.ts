import type { ReadDB } from '../read-db';
import { relationPeriod } from '../relation-validity';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../scope';

/** An entity next to another one, over one relation, in either direction. */
export interface NeighbourRow {
  id: string;
  name: string;
  type: string;
  relation: string;
  direction: 'out' | 'in';
  weight: number;
  confidence: number;
  /** The tool that made the relation (relations.origin_tool): ingest, ingest_prechunked, … */
  origin: string;
}

/**
 * Both directions of an entity's relations that hold now (or at an instant: `period`), within one
 * project and, for a reader, their scope; `+r.project` keeps SQLite on the (from_id | to_id, weight)
 * indexes instead of the (project, type) one.
 */
function neighbourSql(scoped: boolean, period: string): string {
  const scope = scoped ? ` AND ${visibleTo('r')} AND ${visibleTo('e')}` : '';
  return `SELECT e.id, e.name, e.type, r.type AS relation, 'out' AS direction, r.weight, r.confidence,
      r.origin_tool AS origin FROM relations r
      JOIN entities e ON e.id = r.to_id WHERE r.from_id = @id AND +r.project = @project AND ${period}${scope}
    UNION ALL
    SELECT e.id, e.name, e.type, r.type AS relation, 'in' AS direction, r.weight, r.confidence,
      r.origin_tool AS origin FROM relations r
      JOIN entities e ON e.id = r.from_id WHERE r.to_id = @id AND +r.project = @project AND ${period}${scope}`;
}

/**
 * The strongest `limit` neighbours of an entity, and how many there are in all (all of them, or
 * those a reader may see), over the relations that hold now or, given `asOf`, held then.
 */
export function neighbours(
  db: ReadDB,
  project: string,
  id: string,
  limit: number,
  scope?: ReadScopeFilter,
  asOf: string | null = null,
): { rows: NeighbourRow[]; total: number } {
  const period = relationPeriod('r', asOf);
  const sql = neighbourSql(scope !== undefined, period.sql);
  const params = { id, project, ...period.params, ...(scope ? scopeParams(scope) : {}) };
  const rows = db
    .prepare<typeof params & { limit: number }, NeighbourRow>(`SELECT * FROM (${sql}) ORDER BY weight DESC, name LIMIT @limit`)
    .all({ ...params, limit });
  const total = db.prepare<typeof params, { n: number }>(`SELECT COUNT(*) AS n FROM (${sql})`).get(params)?.n ?? 0;
  return { rows, total };
}
