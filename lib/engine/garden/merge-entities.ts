import type { DB } from '../../store/open-writer';
import { normaliseName } from '../../store/ids';

interface RelationRow {
  id: number;
  from_id: string;
  to_id: string;
  type: string;
  weight: number;
  confidence: number;
  verified: number;
  created_at: string;
  last_seen_at: string;
  user_id: string | null;
  memory_id: string | null;
  valid_from: string;
  valid_until: string | null;
}

export interface MergeCounts {
  entitiesMerged: number;
  /** Parallel relations (same ends and type once re-pointed) folded into one. */
  relationsMerged: number;
  /** Relations between two records of the same entity, which would point at itself once merged. */
  selfRelationsDropped: number;
}

/**
 * Folds each duplicate into its survivor: the survivor takes over the duplicate's mentions (counts
 * summed per chunk), aliases (plus the duplicate's own name as an alias, so a later ingest resolves
 * that name to the survivor), and relations with their per-document sources; then the duplicate goes.
 * A closed relation (a period that ended) is re-pointed as it is, never folded into another or counted.
 * Runs inside the caller's transaction.
 */
const RELATION_COLUMNS =
  'id, from_id, to_id, type, weight, confidence, verified, created_at, last_seen_at, user_id, memory_id, valid_from, valid_until';

export function mergeEntities(db: DB, project: string, survivorOf: Map<string, string>, now: string): MergeCounts {
  const counts: MergeCounts = { entitiesMerged: 0, relationsMerged: 0, selfRelationsDropped: 0 };
  if (survivorOf.size === 0) return counts;
  const stmt = {
    name: db.prepare<[string, string], { name: string }>('SELECT name FROM entities WHERE id = ? AND project = ?'),
    // The alias is in the survivor's scope (a merge never crosses scopes).
    addAlias: db.prepare(`INSERT OR IGNORE INTO entity_aliases (project, alias_norm, entity_id, alias, doc_id, user_id, memory_id)
      SELECT ?, ?, ?, ?, NULL, user_id, memory_id FROM entities WHERE id = ?`),
    moveAliases: db.prepare('UPDATE OR IGNORE entity_aliases SET entity_id = ? WHERE entity_id = ? AND project = ?'),
    moveMentions: db.prepare(`INSERT INTO mentions (chunk_id, entity_id, project, count, user_id, memory_id)
        SELECT chunk_id, @survivor, project, count, user_id, memory_id FROM mentions WHERE entity_id = @duplicate AND project = @project
        ON CONFLICT(chunk_id, entity_id) DO UPDATE SET count = count + excluded.count`),
    dropMentions: db.prepare('DELETE FROM mentions WHERE entity_id = ? AND project = ?'),
    relationsOf: db.prepare<{ id: string; project: string }, RelationRow>(
      `SELECT ${RELATION_COLUMNS} FROM relations WHERE project = @project AND from_id = @id
       UNION SELECT ${RELATION_COLUMNS} FROM relations WHERE project = @project AND to_id = @id`,
    ),
    // The open relation of the same ends, type and scope (closed periods are history: never merged into).
    findRelation: db.prepare<[string, string, string, string, string | null, string | null], { id: number }>(
      `SELECT id FROM relations WHERE project = ? AND from_id = ? AND to_id = ? AND type = ? AND user_id IS ? AND memory_id IS ?
         AND valid_until IS NULL`,
    ),
    repoint: db.prepare('UPDATE relations SET from_id = ?, to_id = ? WHERE id = ? AND project = ?'),
    // The schema keeps one open relation per (ends, type, scope): weights add up as their evidence does, and the
    // merged relation is as confident, as verified, as old (and valid as long) and as recently seen as the stronger claim.
    absorb: db.prepare(`UPDATE relations SET weight = weight + @weight, confidence = MAX(confidence, @confidence),
        verified = MAX(verified, @verified), created_at = MIN(created_at, @created_at),
        last_seen_at = MAX(last_seen_at, @last_seen_at), valid_from = MIN(valid_from, @valid_from)
        WHERE id = @target AND project = @project`),
    moveSources: db.prepare(`INSERT INTO relation_sources (relation_id, doc_id, count)
        SELECT @target, doc_id, count FROM relation_sources WHERE relation_id = @source
        ON CONFLICT(relation_id, doc_id) DO UPDATE SET count = count + excluded.count`),
    // A document's sentences stay at most MAX_EVIDENCE_PER_RELATION: where both relations had one at an ordinal, the target's stays.
    moveEvidence: db.prepare(`INSERT OR IGNORE INTO relation_evidence (relation_id, doc_id, ordinal, sentence)
        SELECT @target, doc_id, ordinal, sentence FROM relation_evidence WHERE relation_id = @source`),
    dropRelation: db.prepare('DELETE FROM relations WHERE id = ? AND project = ?'),
    touch: db.prepare('UPDATE entities SET updated_at = ? WHERE id = ? AND project = ?'),
    dropEntity: db.prepare('DELETE FROM entities WHERE id = ? AND project = ?'),
  };
  const duplicates = [...survivorOf.keys()].sort();
  const relations = new Map<number, RelationRow>();
  for (const duplicate of duplicates) {
    const survivor = survivorOf.get(duplicate) as string;
    const name = stmt.name.get(duplicate, project)?.name;
    if (name !== undefined && normaliseName(name).length > 0) {
      stmt.addAlias.run(project, normaliseName(name), survivor, name, survivor);
    }
    stmt.moveAliases.run(survivor, duplicate, project);
    stmt.moveMentions.run({ survivor, duplicate, project });
    stmt.dropMentions.run(duplicate, project);
    for (const relation of stmt.relationsOf.all({ id: duplicate, project })) relations.set(relation.id, relation);
  }
  const resolve = (id: string): string => survivorOf.get(id) ?? id;
  for (const relation of [...relations.values()].sort((a, b) => a.id - b.id)) {
    let [from, to] = [resolve(relation.from_id), resolve(relation.to_id)];
    const open = relation.valid_until === null;
    if (from === to) {
      stmt.dropRelation.run(relation.id, project);
      if (open) counts.selfRelationsDropped += 1;
      continue;
    }
    // CO_OCCURS is undirected; ingest stores it with the smaller id first.
    if (relation.type === 'CO_OCCURS' && to < from) [from, to] = [to, from];
    const target = open
      ? stmt.findRelation.get(project, from, to, relation.type, relation.user_id, relation.memory_id)?.id
      : undefined;
    if (target === undefined || target === relation.id) {
      stmt.repoint.run(from, to, relation.id, project);
      continue;
    }
    stmt.absorb.run({
      target,
      project,
      weight: relation.weight,
      confidence: relation.confidence,
      verified: relation.verified,
      created_at: relation.created_at,
      last_seen_at: relation.last_seen_at,
      valid_from: relation.valid_from,
    });
    stmt.moveSources.run({ target, source: relation.id });
    stmt.moveEvidence.run({ target, source: relation.id });
    stmt.dropRelation.run(relation.id, project);
    counts.relationsMerged += 1;
  }
  for (const survivor of new Set(survivorOf.values())) stmt.touch.run(now, survivor, project);
  for (const duplicate of duplicates) counts.entitiesMerged += stmt.dropEntity.run(duplicate, project).changes;
  return counts;
}
