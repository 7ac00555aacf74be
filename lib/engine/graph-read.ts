import type { DB } from '../store/open-writer';
import { entityId, normaliseName } from '../store/ids';
import { neighbours, type NeighbourRow } from '../store/sql/neighbours';
import type { EntitySummary } from './search/search';

export type Neighbour = NeighbourRow;

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
  const { rows, total } = neighbours(db, project, entity.id, limit);
  return { entity, neighbours: rows, more: Math.max(0, total - rows.length) };
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
