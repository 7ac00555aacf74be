import { scopedEntityId } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import type { MemoryScope } from '../../store/scope';

interface EntityRow {
  id: string;
  name: string;
  norm: string;
  type: string;
  weight: number;
  created_at: string;
  updated_at: string;
}

/**
 * Moves what private memories taught the graph before scopes existed (graph.db version 2) into
 * their scope: each private document's mentions, aliases and relation evidence go to entities and
 * relations of its user and memory, and shared entities or relations left without evidence go.
 * Run once, when the migration to version 3 found private documents; returns how many it moved.
 */
export function rescopePrivateDocuments(db: DB, project: string, now: string): number {
  const pending = db.prepare("SELECT value FROM graph_meta WHERE key = 'rescope_pending'").get();
  if (!pending) return 0;
  const docs = db
    .prepare<[string], { id: string; user_id: string; memory_id: string }>(
      'SELECT id, user_id, memory_id FROM documents WHERE project = ? AND user_id IS NOT NULL',
    )
    .all(project);
  const entity = db.prepare<[string], EntityRow>(
    'SELECT id, name, norm, type, weight, created_at, updated_at FROM entities WHERE id = ?',
  );
  const insertEntity =
    db.prepare(`INSERT OR IGNORE INTO entities (id, project, name, norm, type, weight, created_at, updated_at, user_id, memory_id)
    VALUES (@id, @project, @name, @norm, @type, @weight, @created_at, @updated_at, @userId, @memoryId)`);
  const mentionsOf = db.prepare<[string], { chunk_id: string; entity_id: string; count: number }>(
    'SELECT m.chunk_id, m.entity_id, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id WHERE c.doc_id = ?',
  );
  const moveMention = db.prepare(
    'UPDATE mentions SET entity_id = ?, user_id = ?, memory_id = ? WHERE chunk_id = ? AND entity_id = ?',
  );
  const aliasesOf = db.prepare<[string], { alias_norm: string; entity_id: string; alias: string }>(
    'SELECT alias_norm, entity_id, alias FROM entity_aliases WHERE doc_id = ?',
  );
  const moveAlias = db.prepare(
    'UPDATE OR IGNORE entity_aliases SET entity_id = ?, user_id = ?, memory_id = ? WHERE doc_id = ? AND alias_norm = ? AND entity_id = ?',
  );
  const sourcesOf = db.prepare<
    [string],
    { relation_id: number; count: number; from_id: string; to_id: string; type: string; created_at: string }
  >(
    `SELECT s.relation_id, s.count, r.from_id, r.to_id, r.type, r.created_at FROM relation_sources s
     JOIN relations r ON r.id = s.relation_id WHERE s.doc_id = ? AND r.user_id IS NULL`,
  );
  const findRelation = db.prepare<[string, string, string, string], { id: number }>(
    'SELECT id FROM relations WHERE project = ? AND from_id = ? AND to_id = ? AND type = ? AND valid_until IS NULL',
  );
  const insertRelation = db.prepare(`INSERT INTO relations (project, from_id, to_id, type, weight, created_at, last_seen_at,
    user_id, memory_id, valid_from) VALUES (@project, @from, @to, @type, 0, @createdAt, @now, @userId, @memoryId, @createdAt)`);
  const moveSource = db.prepare('UPDATE relation_sources SET relation_id = ? WHERE relation_id = ? AND doc_id = ?');
  const moveEvidence = db.prepare('UPDATE OR IGNORE relation_evidence SET relation_id = ? WHERE relation_id = ? AND doc_id = ?');
  const reweigh =
    db.prepare(`UPDATE relations SET weight = COALESCE((SELECT SUM(count) FROM relation_sources WHERE relation_id = @id), 0)
    WHERE id = @id`);
  const dropUnsupported = db.prepare(`DELETE FROM relations WHERE id = ? AND origin_tool = 'ingest'
    AND NOT EXISTS (SELECT 1 FROM relation_sources WHERE relation_id = ?)`);
  const dropOrphan = db.prepare(`DELETE FROM entities WHERE id = @id AND user_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM mentions WHERE entity_id = @id) AND NOT EXISTS (SELECT 1 FROM relations WHERE from_id = @id)
    AND NOT EXISTS (SELECT 1 FROM relations WHERE to_id = @id) AND NOT EXISTS (SELECT 1 FROM entity_aliases WHERE entity_id = @id)`);

  return db
    .transaction(() => {
      const touchedEntities = new Set<string>();
      const touchedRelations = new Set<number>();
      for (const doc of docs) {
        const scope: MemoryScope = { userId: doc.user_id, memoryId: doc.memory_id };
        const scoped = new Map<string, string>();
        const scopedId = (sharedId: string): string | null => {
          const known = scoped.get(sharedId);
          if (known) return known;
          const row = entity.get(sharedId);
          if (!row) return null;
          const id = scopedEntityId(project, scope, row.name);
          insertEntity.run({ ...row, id, project, userId: scope.userId, memoryId: scope.memoryId });
          scoped.set(sharedId, id);
          touchedEntities.add(sharedId);
          return id;
        };
        for (const mention of mentionsOf.all(doc.id)) {
          const id = scopedId(mention.entity_id);
          if (id && id !== mention.entity_id)
            moveMention.run(id, scope.userId, scope.memoryId, mention.chunk_id, mention.entity_id);
        }
        for (const alias of aliasesOf.all(doc.id)) {
          const id = scopedId(alias.entity_id);
          if (id) moveAlias.run(id, scope.userId, scope.memoryId, doc.id, alias.alias_norm, alias.entity_id);
        }
        for (const source of sourcesOf.all(doc.id)) {
          const from = scopedId(source.from_id);
          const to = scopedId(source.to_id);
          if (!from || !to) continue;
          let target = findRelation.get(project, from, to, source.type)?.id;
          if (target === undefined)
            target = Number(
              insertRelation.run({
                project,
                from,
                to,
                type: source.type,
                createdAt: source.created_at,
                now,
                userId: scope.userId,
                memoryId: scope.memoryId,
              }).lastInsertRowid,
            );
          moveSource.run(target, source.relation_id, doc.id);
          moveEvidence.run(target, source.relation_id, doc.id);
          touchedRelations.add(source.relation_id).add(target);
        }
      }
      for (const id of touchedRelations) {
        reweigh.run({ id });
        dropUnsupported.run(id, id);
      }
      for (const id of touchedEntities) dropOrphan.run({ id });
      db.prepare("DELETE FROM graph_meta WHERE key = 'rescope_pending'").run();
      return docs.length;
    })
    .immediate();
}
