import { scopedEntityId } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';

export const BOOST_WINDOW_DAYS = 30;
/** Weight added per doubling of the searches that returned an entity (2-3 searches: 1.1, 4-7: 1.2, ...) ... */
export const BOOST_STEP = 0.1;
/** ... up to this weight (1,024 searches or more). */
export const BOOST_MAX_WEIGHT = 2;

/** The weight an entity returned by `searches` searches in the window should have; 1.0 is unboosted. */
export function boostedWeight(searches: number): number {
  if (searches < 2) return 1;
  return Math.min(BOOST_MAX_WEIGHT, 1 + BOOST_STEP * Math.floor(Math.log2(searches)));
}

export interface BoostCounts {
  entitiesBoosted: number;
  /** Entities whose boost shrank or lapsed because fewer searches return them. */
  boostsLowered: number;
}

/** How many of the project's searches in the window returned each entity (from query_log.entity_ids). */
export function searchHits(metricsDb: DB, project: string, now: Date): Map<string, number> {
  const since = isoTimestamp(new Date(now.getTime() - BOOST_WINDOW_DAYS * 86_400_000));
  const rows = metricsDb
    .prepare<[string, string, string], { id: string; hits: number }>(
      `SELECT j.value AS id, COUNT(*) AS hits
       FROM query_log q, json_each(CASE WHEN json_valid(q.entity_ids) THEN q.entity_ids ELSE '[]' END) j
       WHERE q.project = ? AND q.ts >= ? AND q.ts <= ? AND q.status = 'ok' AND j.type = 'text'
       GROUP BY j.value`,
    )
    .all(project, since, isoTimestamp(now));
  return new Map(rows.map((row) => [row.id, row.hits]));
}

/**
 * Where the searches that returned an entity since merged away count: its survivor. `survivorOf` has
 * this run's merges; an earlier merge left the duplicate's name as an alias of its survivor, and an id
 * is derived from the name, so the alias leads from the old id to the survivor.
 */
function creditTarget(db: DB, project: string, survivorOf: Map<string, string>): (id: string) => string {
  const owners = new Map<string, string>();
  const aliases = db
    .prepare<[string], { alias_norm: string; entity_id: string; user_id: string | null; memory_id: string | null }>(
      `SELECT alias_norm, entity_id, user_id, memory_id FROM entity_aliases WHERE project = ?
       AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = entity_aliases.entity_id AND e.norm = alias_norm)
       ORDER BY alias_norm, entity_id`,
    )
    .all(project);
  for (const alias of aliases) {
    const oldId = scopedEntityId(project, { userId: alias.user_id, memoryId: alias.memory_id }, alias.alias_norm);
    if (!owners.has(oldId)) owners.set(oldId, alias.entity_id);
  }
  const exists = db.prepare<[string, string], { found: number }>('SELECT 1 AS found FROM entities WHERE id = ? AND project = ?');
  return (id) => survivorOf.get(id) ?? (exists.get(id, project) ? id : (owners.get(id) ?? id));
}

/**
 * Sets entities.weight (which nothing else writes) to 1.0 plus the boost their recent search hits
 * earn: a function of the last 30 days of searches, so a second run changes nothing and a boost lapses
 * when the searches stop.
 */
export function boostEntities(db: DB, project: string, hits: Map<string, number>, survivorOf: Map<string, string>): BoostCounts {
  const credit = creditTarget(db, project, survivorOf);
  const credited = new Map<string, number>();
  for (const [id, count] of hits) {
    const target = credit(id);
    credited.set(target, (credited.get(target) ?? 0) + count);
  }
  const setWeight = db.prepare('UPDATE entities SET weight = ? WHERE id = ? AND project = ?');
  const counts: BoostCounts = { entitiesBoosted: 0, boostsLowered: 0 };
  const entities = db
    .prepare<[string], { id: string; weight: number }>('SELECT id, weight FROM entities WHERE project = ? ORDER BY id')
    .all(project);
  for (const entity of entities) {
    const searches = credited.get(entity.id) ?? 0;
    const target = boostedWeight(searches);
    if (Math.abs(entity.weight - target) <= 1e-9) continue;
    // An unsearched entity whose weight is below 1.0 was not boosted by us: leave it as it is.
    if (searches < 2 && entity.weight < 1) continue;
    setWeight.run(target, entity.id, project);
    if (target > entity.weight) counts.entitiesBoosted += 1;
    else counts.boostsLowered += 1;
  }
  return counts;
}
