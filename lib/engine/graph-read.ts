import { containsPattern } from '../store/like';
import { normaliseName } from '../store/ids';
import type { DB } from '../store/open-writer';
import { currentRelation } from '../store/relation-validity';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../store/scope';
import { neighbours, type NeighbourRow } from '../store/sql/neighbours';
import type { EntitySummary } from './search/search';

export interface EntityListItem extends EntitySummary {
  mentions: number;
  degree: number;
}

/**
 * The entities a reference means for a reader: the one with that id, or those with that name or
 * alias that the reader may see (the shared one and the reader's own, the shared one first).
 */
export function findEntities(db: DB, project: string, ref: string, scope: ReadScopeFilter): EntitySummary[] {
  const params = { project, ref, norm: normaliseName(ref), ...scopeParams(scope) };
  return db
    .prepare<typeof params, EntitySummary>(
      `SELECT e.id, e.name, e.type FROM entities e WHERE e.project = @project AND ${visibleTo('e')}
         AND (e.id = @ref OR e.norm = @norm OR e.id IN (
           SELECT a.entity_id FROM entity_aliases a WHERE a.project = @project AND a.alias_norm = @norm AND ${visibleTo('a')}))
       ORDER BY e.id = @ref DESC, e.user_id IS NOT NULL, e.id LIMIT 20`,
    )
    .all(params);
}

/** A neighbour `hops` relations away, reached from `via` (null: from the entity itself). */
export type Neighbour = NeighbourRow & { hops: number; via: string | null };

export interface NeighbourhoodResult {
  entity: EntitySummary | null;
  /** How far the walk went. */
  hops: number;
  neighbours: Neighbour[];
  /** Neighbours beyond the limit, so a caller can say "and N more". */
  more: number;
}

function byWeight(a: NeighbourRow, b: NeighbourRow): number {
  return b.weight - a.weight || a.name.localeCompare(b.name);
}

/**
 * An entity's strongest neighbours as the reader may see them (over every visible entity the
 * reference means), then, for `hops` > 1, the neighbours of those: a breadth-first walk where each
 * entity is listed once, at its shortest distance. Each ring keeps at most `limit` entities and
 * each of them contributes at most `limit` rows, so the work stays bounded by hops × limit².
 * Over the relations that hold now, or, given `asOf` (an isoTimestamp), those that held then.
 */
export function entityNeighbours(
  db: DB,
  project: string,
  ref: string,
  limit: number,
  scope: ReadScopeFilter,
  hops = 1,
  asOf: string | null = null,
): NeighbourhoodResult {
  const found = findEntities(db, project, ref, scope);
  const [entity] = found;
  if (!entity) return { entity: null, hops, neighbours: [], more: 0 };
  const seen = new Set(found.map((match) => match.id));
  const shown: Neighbour[] = [];
  let frontier = found.map((match) => match.id);
  let more = 0;
  for (let hop = 1; hop <= hops && frontier.length > 0 && shown.length < limit; hop += 1) {
    const ring: Neighbour[] = [];
    for (const from of frontier) {
      const next = neighbours(db, project, from, limit, scope, asOf);
      // The first ring lists every relation (a neighbour over two relations twice), as it always has.
      if (hop === 1) more += next.total - next.rows.length;
      for (const row of next.rows) {
        if (hop > 1 && seen.has(row.id)) continue;
        if (hop > 1) seen.add(row.id);
        ring.push({ ...row, hops: hop, via: hop === 1 ? null : from });
      }
    }
    ring.sort(byWeight);
    const kept = ring.slice(0, limit - shown.length);
    more += ring.length - kept.length;
    shown.push(...kept);
    for (const row of kept) seen.add(row.id);
    frontier = [...new Set(kept.map((row) => row.id))];
  }
  return { entity, hops, neighbours: shown, more };
}

/** Entities the reader may see, most mentioned first, optionally of one type or containing a name fragment. */
export function listEntities(
  db: DB,
  project: string,
  filter: { type?: string; query?: string; limit: number; offset: number },
  scope: ReadScopeFilter,
) {
  const where = ['e.project = @project', visibleTo('e')];
  if (filter.type) where.push('e.type = @type');
  // By the normalised name ("telemetry bus" finds "Telemetry-Bus"); a query of punctuation alone
  // ("%") has no normalised form and is looked for in the names as written.
  const norm = normaliseName(filter.query ?? '');
  if (filter.query) where.push(norm ? "e.norm LIKE @like ESCAPE '\\'" : "e.name LIKE @like ESCAPE '\\'");
  const like = containsPattern(norm || (filter.query ?? ''));
  const params = { project, type: filter.type ?? null, like, limit: filter.limit, offset: filter.offset, ...scopeParams(scope) };
  const items = db
    .prepare<typeof params, EntityListItem>(
      `SELECT e.id, e.name, e.type,
         (SELECT COALESCE(SUM(count), 0) FROM mentions WHERE entity_id = e.id) AS mentions,
         (SELECT COUNT(*) FROM relations r WHERE r.project = e.project AND r.from_id = e.id AND ${currentRelation('r')})
           + (SELECT COUNT(*) FROM relations r WHERE r.to_id = e.id AND ${currentRelation('r')}) AS degree
       FROM entities e WHERE ${where.join(' AND ')} ORDER BY mentions DESC, e.name LIMIT @limit OFFSET @offset`,
    )
    .all(params);
  const total =
    db.prepare<typeof params, { n: number }>(`SELECT COUNT(*) AS n FROM entities e WHERE ${where.join(' AND ')}`).get(params)
      ?.n ?? 0;
  return { items, total };
}
