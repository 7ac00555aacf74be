import type { DB } from '../store/open-writer';
import { entityId, normaliseName } from '../store/ids';
import type { EntitySummary } from './search/search';

export interface Neighbour extends EntitySummary {
  relation: string;
  direction: 'out' | 'in';
  weight: number;
}

export interface NeighbourhoodResult {
  entity: EntitySummary | null;
  neighbours: Neighbour[];
  /** Neighbours beyond the limit, so a caller can say "and N more". */
  more: number;
}

export interface EntityListItem extends EntitySummary {
  mentions: number;
  degree: number;
}

/** Finds an entity by id, name or alias within one project. */
export function findEntity(db: DB, project: string, ref: string): EntitySummary | null {
  const byId = db.prepare<[string, string], EntitySummary>('SELECT id, name, type FROM entities WHERE project = ? AND id = ?');
  const direct = byId.get(project, ref) ?? byId.get(project, entityId(project, ref));
  if (direct) return direct;
  const alias = db
    .prepare<[string, string], { entity_id: string }>(
      'SELECT entity_id FROM entity_aliases WHERE project = ? AND alias_norm = ? LIMIT 1',
    )
    .get(project, normaliseName(ref));
  return alias ? (byId.get(project, alias.entity_id) ?? null) : null;
}

export function entityNeighbours(db: DB, project: string, ref: string, limit: number): NeighbourhoodResult {
  const entity = findEntity(db, project, ref);
  if (!entity) return { entity: null, neighbours: [], more: 0 };
  const union = `SELECT r.type AS relation, 'out' AS direction, r.weight, e.id, e.name, e.type
      FROM relations r JOIN entities e ON e.id = r.to_id WHERE r.project = @project AND r.from_id = @id
    UNION ALL
    SELECT r.type AS relation, 'in' AS direction, r.weight, e.id, e.name, e.type
      FROM relations r JOIN entities e ON e.id = r.from_id WHERE r.to_id = @id AND +r.project = @project`;
  const neighbours = db
    .prepare<{ project: string; id: string; limit: number }, Neighbour>(
      `SELECT * FROM (${union}) ORDER BY weight DESC, name LIMIT @limit`,
    )
    .all({ project, id: entity.id, limit });
  const total =
    db
      .prepare<{ project: string; id: string }, { n: number }>(`SELECT COUNT(*) AS n FROM (${union})`)
      .get({ project, id: entity.id })?.n ?? 0;
  return { entity, neighbours, more: Math.max(0, total - neighbours.length) };
}

export function listEntities(db: DB, project: string, filter: { type?: string; query?: string; limit: number; offset: number }) {
  const where = ['e.project = @project'];
  if (filter.type) where.push('e.type = @type');
  if (filter.query) where.push("e.norm LIKE @like ESCAPE '\\'");
  const like = `%${normaliseName(filter.query ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const params = { project, type: filter.type ?? null, like, limit: filter.limit, offset: filter.offset };
  const items = db
    .prepare<typeof params, EntityListItem>(
      `SELECT e.id, e.name, e.type,
         (SELECT COALESCE(SUM(count), 0) FROM mentions WHERE entity_id = e.id) AS mentions,
         (SELECT COUNT(*) FROM relations WHERE project = e.project AND from_id = e.id)
           + (SELECT COUNT(*) FROM relations WHERE to_id = e.id) AS degree
       FROM entities e WHERE ${where.join(' AND ')} ORDER BY mentions DESC, e.name LIMIT @limit OFFSET @offset`,
    )
    .all(params);
  const total =
    db.prepare<typeof params, { n: number }>(`SELECT COUNT(*) AS n FROM entities e WHERE ${where.join(' AND ')}`).get(params)
      ?.n ?? 0;
  return { items, total };
}

export interface GraphCounts {
  documents: number;
  chunks: number;
  entities: number;
  relations: number;
}

export function graphCounts(db: DB, project: string): GraphCounts {
  const count = (table: string): number =>
    db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE project = ?`).get(project)?.n ?? 0;
  return { documents: count('documents'), chunks: count('chunks'), entities: count('entities'), relations: count('relations') };
}
