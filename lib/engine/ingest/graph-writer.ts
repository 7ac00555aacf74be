import { emptyCounts, type ChangeCounts } from '../../store/change-counts';
import { normaliseName, scopedEntityId } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import { currentRelation } from '../../store/relation-validity';
import type { MemoryScope } from '../../store/scope';
import { chunkEmbeddingText, type ChunkVectors } from '../dense/chunk-vectors';
import type { PreparedDocument } from './prepare';

/** Sentences kept per relation and document: enough to show why, not a copy of the note. */
export const MAX_EVIDENCE_PER_RELATION = 3;

interface GroupedRelation {
  from: string;
  to: string;
  type: string;
  count: number;
  confidence?: number;
  evidence: string[];
}

export type { ChangeCounts };

/** Tools whose relations live by their documents' evidence, as ingested ones do. */
export const AGENT_ORIGINS = ['ingest_prechunked', 'submit_session_extraction'] as const;

/**
 * Relations that exist because documents support them: they lose weight with a document and go
 * with the last one. Relations other tools made (by hand, by import) are left alone.
 */
const sqlList = (tools: readonly string[]): string => tools.map((tool) => `'${tool}'`).join(', ');
const EVIDENCE_BACKED = `origin_tool IN ('ingest', ${sqlList(AGENT_ORIGINS)})`;
const AGENT_MADE = `origin_tool IN (${sqlList(AGENT_ORIGINS)})`;

interface EntityRef {
  id: string;
  name: string;
  type: string;
  authoritative: boolean;
}

/**
 * Writes documents into graph.db. A document is replaced as a whole: its old chunks, mentions,
 * aliases and relation contributions go, the new ones come in, and whatever is left with no
 * evidence at all is removed: an entity nothing mentions or links goes; an ingested relation no
 * document supports is closed (valid_until = now: it held until then), and a note stating it again
 * later opens a new period. Relations made by tools (create_relation, imports) are never closed here.
 * Everything a document adds is in the document's scope (shared, or one user's memory): its
 * entities have ids of that scope and it follows only that scope's aliases, so a private memory
 * never adds to or links into another scope's graph.
 */
export class GraphWriter {
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
    /** The chunk vectors to write beside chunks; null when the dense arm is off. */
    private readonly vectors: ChunkVectors | null = null,
  ) {
    this.stmt = {
      docCreated: db.prepare<[string], { created_at: string }>('SELECT created_at FROM documents WHERE id = ?'),
      oldChunks: db.prepare<[string], { id: string; text: string }>('SELECT id, text FROM chunks WHERE doc_id = ?'),
      mentionedBy: db.prepare<[string], { entity_id: string }>(
        'SELECT DISTINCT m.entity_id FROM mentions m JOIN chunks c ON c.id = m.chunk_id WHERE c.doc_id = ?',
      ),
      relationsBy: db.prepare<[string], { id: number; from_id: string; to_id: string; count: number }>(
        'SELECT r.id, r.from_id, r.to_id, s.count FROM relations r JOIN relation_sources s ON s.relation_id = r.id WHERE s.doc_id = ?',
      ),
      aliasesBy: db.prepare<[string], { entity_id: string }>('SELECT entity_id FROM entity_aliases WHERE doc_id = ?'),
      deleteChunks: db.prepare('DELETE FROM chunks WHERE doc_id = ?'),
      deleteSources: db.prepare('DELETE FROM relation_sources WHERE doc_id = ?'),
      deleteAliases: db.prepare('DELETE FROM entity_aliases WHERE doc_id = ?'),
      deleteEvidence: db.prepare('DELETE FROM relation_evidence WHERE doc_id = ?'),
      insertEvidence: db.prepare('INSERT INTO relation_evidence (relation_id, doc_id, ordinal, sentence) VALUES (?, ?, ?, ?)'),
      deleteDoc: db.prepare('DELETE FROM documents WHERE id = ?'),
      upsertDoc: db.prepare(`INSERT INTO documents (id, project, path, abs_path, title, content_hash, front_matter, bytes,
          tokens, mtime_ms, source, user_id, memory_id, created_at, updated_at)
        VALUES (@id, @project, @path, @absPath, @title, @contentHash, @frontMatter, @bytes, @tokens, @mtimeMs, @source,
          @userId, @memoryId, @createdAt, @updatedAt)
        ON CONFLICT(id) DO UPDATE SET path = excluded.path, abs_path = excluded.abs_path, title = excluded.title,
          content_hash = excluded.content_hash, front_matter = excluded.front_matter, bytes = excluded.bytes,
          tokens = excluded.tokens, mtime_ms = excluded.mtime_ms, source = excluded.source, user_id = excluded.user_id,
          memory_id = excluded.memory_id, updated_at = excluded.updated_at`),
      insertChunk:
        db.prepare(`INSERT INTO chunks (id, doc_id, project, chunk_idx, heading, text, tokens, source, user_id, memory_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      aliasTarget: db.prepare<[string, string, string | null, string | null], { entity_id: string }>(
        `SELECT entity_id FROM entity_aliases WHERE project = ? AND alias_norm = ? AND user_id IS ? AND memory_id IS ?
         ORDER BY entity_id LIMIT 1`,
      ),
      insertAlias:
        db.prepare(`INSERT OR IGNORE INTO entity_aliases (project, alias_norm, entity_id, alias, doc_id, user_id, memory_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertEntity: db.prepare(`INSERT INTO entities (id, project, name, norm, type, created_at, updated_at, user_id, memory_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`),
      setEntityType: db.prepare('UPDATE entities SET name = ?, type = ?, updated_at = ? WHERE id = ?'),
      insertMention: db.prepare(
        'INSERT INTO mentions (chunk_id, entity_id, project, count, user_id, memory_id) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // The open period of the relation in the document's scope.
      findRelation: db.prepare<[string, string, string, string, string | null, string | null], { id: number }>(
        `SELECT id FROM relations WHERE project = ? AND from_id = ? AND to_id = ? AND type = ? AND user_id IS ? AND memory_id IS ?
           AND valid_until IS NULL`,
      ),
      insertRelation: db.prepare(`INSERT INTO relations (project, from_id, to_id, type, weight, confidence, origin_tool,
          session_id, created_at, last_seen_at, user_id, memory_id, valid_from)
        VALUES (@project, @from, @to, @type, @weight, @confidence, @originTool, @sessionId, @now, @now, @userId, @memoryId, @now)`),
      // An agent's latest word on a relation it made is its confidence; a note's relation keeps its own.
      setConfidence: db.prepare(`UPDATE relations SET confidence = ? WHERE id = ? AND ${AGENT_MADE}`),
      insertSource: db.prepare('INSERT INTO relation_sources (relation_id, doc_id, count) VALUES (?, ?, ?)'),
      // An ingested relation weighs the sum of its documents' counts, less what the Night Gardener's decay
      // took off. A document that goes takes its share of the weight with it (the decayed fraction is
      // kept: subtracting its full count from a decayed weight could go below zero); a relation losing
      // its last source keeps the weight it had, as the record of its closed period ...
      evidence: db.prepare<[number], { total: number | null }>(
        'SELECT SUM(count) AS total FROM relation_sources WHERE relation_id = ?',
      ),
      shrink: db.prepare(`UPDATE relations SET weight = weight * @remaining / (@remaining + @removed)
        WHERE id = @id AND ${EVIDENCE_BACKED} AND @remaining > 0`),
      // ... and a document asserting the relation (again) gives it its full weight back; a manual
      // relation (no sources to sum) gains the count. One update: each one rewrites two weight indexes.
      strengthen: db.prepare(`UPDATE relations SET last_seen_at = @now, weight = CASE WHEN ${EVIDENCE_BACKED}
          THEN (SELECT SUM(count) FROM relation_sources WHERE relation_id = @id) ELSE weight + @count END
        WHERE id = @id`),
      closeUnsupported: db.prepare(`UPDATE relations SET valid_until = @now WHERE id = @id AND ${EVIDENCE_BACKED}
          AND valid_until IS NULL AND NOT EXISTS (SELECT 1 FROM relation_sources WHERE relation_id = @id)`),
      // Closed relations do not keep an entity: it goes, and its relation history with it (ON DELETE CASCADE).
      deleteOrphan: db.prepare(`DELETE FROM entities WHERE id = @id
          AND NOT EXISTS (SELECT 1 FROM mentions WHERE entity_id = @id)
          AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.project = @project AND r.from_id = @id AND ${currentRelation('r')})
          AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.to_id = @id AND ${currentRelation('r')})
          AND NOT EXISTS (SELECT 1 FROM entity_aliases WHERE entity_id = @id)`),
    };
  }

  /** Replaces a document's content in one transaction. */
  applyDocument(doc: PreparedDocument, now: string): ChangeCounts {
    return this.db.transaction(() => this.replace(doc, now)).immediate();
  }

  /** Removes a document and everything only it supported (closing relations as of `now`), in one transaction. */
  deleteDocument(docId: string, now: string): ChangeCounts {
    return this.db
      .transaction(() => {
        const counts = emptyCounts();
        const before = this.detach(docId, counts);
        this.stmt.deleteDoc.run(docId);
        this.sweep(before, new Set(), counts, now);
        return counts;
      })
      .immediate();
  }

  private detach(docId: string, counts: ChangeCounts) {
    const oldChunks = new Map(this.stmt.oldChunks.all(docId).map((row) => [row.id, row.text]));
    const entityCandidates = new Set(this.stmt.mentionedBy.all(docId).map((row) => row.entity_id));
    const oldRelations = this.stmt.relationsBy.all(docId);
    for (const relation of oldRelations) {
      entityCandidates.add(relation.from_id);
      entityCandidates.add(relation.to_id);
    }
    for (const alias of this.stmt.aliasesBy.all(docId)) entityCandidates.add(alias.entity_id);
    this.stmt.deleteChunks.run(docId);
    this.stmt.deleteSources.run(docId);
    this.stmt.deleteEvidence.run(docId);
    for (const relation of oldRelations) {
      const remaining = this.stmt.evidence.get(relation.id)?.total ?? 0;
      this.stmt.shrink.run({ id: relation.id, remaining, removed: relation.count });
    }
    this.stmt.deleteAliases.run(docId);
    counts.chunksRemoved = oldChunks.size;
    return { oldChunks, entityCandidates, oldRelationIds: oldRelations.map((relation) => relation.id) };
  }

  /** Closes relations no document supports any more, then drops entities left with no evidence. */
  private sweep(
    before: { entityCandidates: Set<string>; oldRelationIds: number[] },
    newRelationIds: Set<number>,
    counts: ChangeCounts,
    now: string,
  ): void {
    for (const id of before.oldRelationIds) {
      if (!newRelationIds.has(id)) counts.relationsRemoved += this.stmt.closeUnsupported.run({ id, now }).changes;
    }
    for (const id of before.entityCandidates) {
      counts.entitiesRemoved += this.stmt.deleteOrphan.run({ id, project: this.project }).changes;
    }
  }

  private replace(doc: PreparedDocument, now: string): ChangeCounts {
    const counts = emptyCounts();
    const scope: MemoryScope = { userId: doc.userId, memoryId: doc.memoryId };
    const createdAt = this.stmt.docCreated.get(doc.id)?.created_at ?? now;
    // Read before the old chunks go (and their vectors with them): unchanged chunks keep theirs.
    const oldVectors = this.vectors?.vectorsOf(doc.id);
    const before = this.detach(doc.id, counts);
    this.stmt.upsertDoc.run({
      id: doc.id,
      project: this.project,
      path: doc.path,
      absPath: doc.absPath,
      title: doc.title,
      contentHash: doc.contentHash,
      frontMatter: JSON.stringify(doc.frontMatter),
      bytes: doc.bytes,
      tokens: doc.tokens,
      mtimeMs: doc.mtimeMs,
      source: doc.source,
      userId: doc.userId,
      memoryId: doc.memoryId,
      createdAt,
      updatedAt: now,
    });

    const addedEntities = new Set<string>();
    const ensured = new Set<string>();
    const ensure = (entity: EntityRef): void => {
      if (ensured.has(entity.id) && !entity.authoritative) return;
      ensured.add(entity.id);
      const inserted = this.stmt.insertEntity.run(
        entity.id,
        this.project,
        entity.name,
        normaliseName(entity.name),
        entity.type,
        now,
        now,
        scope.userId,
        scope.memoryId,
      ).changes;
      if (inserted > 0) addedEntities.add(entity.id);
      if (entity.authoritative) this.stmt.setEntityType.run(entity.name, entity.type, now, entity.id);
    };

    const docEntity = this.writeDocEntity(doc, scope, ensure);
    const resolve = this.resolver(docEntity && { ...docEntity, authoritative: false }, scope);

    for (const chunk of doc.chunks) {
      const { lastInsertRowid } = this.stmt.insertChunk.run(
        chunk.id,
        doc.id,
        this.project,
        chunk.index,
        chunk.heading,
        chunk.text,
        chunk.tokens,
        doc.path,
        doc.userId,
        doc.memoryId,
      );
      if (this.vectors) {
        const embeddingText = chunkEmbeddingText(doc.title, chunk.heading, chunk.text);
        this.vectors.write(lastInsertRowid, embeddingText, oldVectors?.get(embeddingText));
      }
      if (before.oldChunks.get(chunk.id) === chunk.text) counts.chunksRemoved -= 1;
      else counts.chunksAdded += 1;
      const perEntity = new Map<string, number>();
      for (const mention of chunk.mentions) {
        const entity = resolve(mention.name, mention.type);
        ensure(entity);
        perEntity.set(entity.id, (perEntity.get(entity.id) ?? 0) + mention.count);
      }
      for (const [id, count] of perEntity)
        this.stmt.insertMention.run(chunk.id, id, this.project, count, scope.userId, scope.memoryId);
    }

    const grouped = new Map<string, GroupedRelation>();
    for (const relation of doc.relations) {
      const from = resolve(relation.from, 'concept');
      const to = resolve(relation.to, 'concept');
      if (from.id === to.id) continue;
      ensure(from);
      ensure(to);
      // CO_OCCURS is undirected: after alias resolution, order the ends again.
      const [a, b] = relation.type === 'CO_OCCURS' && to.id < from.id ? [to.id, from.id] : [from.id, to.id];
      const key = `${a}\u0000${b}\u0000${relation.type}`;
      const group = grouped.get(key) ?? { from: a, to: b, type: relation.type, count: 0, evidence: [] };
      group.count += relation.count;
      if (relation.confidence !== undefined) group.confidence = Math.max(group.confidence ?? 0, relation.confidence);
      const sentence = relation.evidence;
      if (sentence && group.evidence.length < MAX_EVIDENCE_PER_RELATION && !group.evidence.includes(sentence))
        group.evidence.push(sentence);
      grouped.set(key, group);
    }
    const newRelationIds = new Set<number>();
    for (const relation of grouped.values()) {
      let id = this.stmt.findRelation.get(
        this.project,
        relation.from,
        relation.to,
        relation.type,
        scope.userId,
        scope.memoryId,
      )?.id;
      if (id === undefined) {
        id = Number(
          this.stmt.insertRelation.run({
            project: this.project,
            from: relation.from,
            to: relation.to,
            type: relation.type,
            weight: relation.count,
            confidence: relation.confidence ?? 1,
            originTool: doc.origin?.tool ?? 'ingest',
            sessionId: doc.origin?.sessionId ?? null,
            now,
            userId: scope.userId,
            memoryId: scope.memoryId,
          }).lastInsertRowid,
        );
        counts.relationsAdded += 1;
        this.stmt.insertSource.run(id, doc.id, relation.count);
      } else {
        this.stmt.insertSource.run(id, doc.id, relation.count);
        this.stmt.strengthen.run({ id, now, count: relation.count });
        if (relation.confidence !== undefined) this.stmt.setConfidence.run(relation.confidence, id);
      }
      relation.evidence.forEach((sentence, ordinal) => this.stmt.insertEvidence.run(id, doc.id, ordinal, sentence));
      newRelationIds.add(id);
    }
    this.sweep(before, newRelationIds, counts, now);
    counts.entitiesAdded = addedEntities.size;
    return counts;
  }

  /** The document's own entity (its type authoritative) and its aliases; null for a document that has none. */
  private writeDocEntity(doc: PreparedDocument, scope: MemoryScope, ensure: (entity: EntityRef) => void): EntityRef | null {
    if (!doc.entity) return null;
    const docEntity: EntityRef = {
      id: scopedEntityId(this.project, scope, doc.title),
      name: doc.title,
      type: doc.entity.type,
      authoritative: true,
    };
    ensure(docEntity);
    for (const alias of doc.aliases) {
      const norm = normaliseName(alias);
      if (norm.length > 0 && norm !== normaliseName(doc.title))
        this.stmt.insertAlias.run(this.project, norm, docEntity.id, alias, doc.id, scope.userId, scope.memoryId);
    }
    return docEntity;
  }

  /** Maps a name to its entity in the scope, following the scope's aliases; the note's own entity keeps its front-matter type. */
  private resolver(docEntity: EntityRef | null, scope: MemoryScope): (name: string, type: string) => EntityRef {
    const cache = new Map<string, EntityRef>();
    return (name, type) => {
      const norm = normaliseName(name);
      if (docEntity && norm === normaliseName(docEntity.name)) return docEntity;
      const cached = cache.get(norm);
      if (cached) return cached;
      const aliasOf = this.stmt.aliasTarget.get(this.project, norm, scope.userId, scope.memoryId)?.entity_id;
      const entity: EntityRef = { id: aliasOf ?? scopedEntityId(this.project, scope, name), name, type, authoritative: false };
      cache.set(norm, entity);
      return entity;
    };
  }
}
