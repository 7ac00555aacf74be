import type { ReadDB } from '../read-db';

/** An entity next to another one, over one relation, in either direction. */
export interface NeighbourRow {
  id: string;
  name: string;
  type: string;
  relation: string;
  direction: 'out' | 'in';
  weight: number;
}

// Both directions of an entity's relations, within one project; `+r.project` keeps SQLite on the
// (from_id | to_id, weight) indexes instead of the (project, type) one.
const NEIGHBOURS = `SELECT e.id, e.name, e.type, r.type AS relation, 'out' AS direction, r.weight FROM relations r
    JOIN entities e ON e.id = r.to_id WHERE r.from_id = @id AND +r.project = @project
  UNION ALL
  SELECT e.id, e.name, e.type, r.type AS relation, 'in' AS direction, r.weight FROM relations r
    JOIN entities e ON e.id = r.from_id WHERE r.to_id = @id AND +r.project = @project`;

/** The strongest `limit` neighbours of an entity, and how many there are in all. */
export function neighbours(db: ReadDB, project: string, id: string, limit: number): { rows: NeighbourRow[]; total: number } {
  const rows = db
    .prepare<{ id: string; project: string; limit: number }, NeighbourRow>(
      `SELECT * FROM (${NEIGHBOURS}) ORDER BY weight DESC, name LIMIT @limit`,
    )
    .all({ id, project, limit });
  const total =
    db.prepare<{ id: string; project: string }, { n: number }>(`SELECT COUNT(*) AS n FROM (${NEIGHBOURS})`).get({ id, project })
      ?.n ?? 0;
  return { rows, total };
}
