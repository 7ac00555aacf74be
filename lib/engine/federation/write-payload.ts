import { estimateTokens } from '../ingest/chunk';
import type { DB } from '../../store/open-writer';
import { contentHash, entityId, normaliseName } from '../../store/ids';
import type { IncomingChunk, IncomingPayload } from './check-payload';
import { MENTIONS } from './payload';
import { FederationRefusal } from './refusals';

export interface ImportTarget {
  project: string;
  issuer: string;
  envelopeId: string;
  createdAt: string;
  /** ISO timestamp of the import. */
  now: string;
}

export interface ImportCounts {
  entitiesAdded: number;
  entitiesPresent: number;
  relationsAdded: number;
  relationsPresent: number;
  /** Relations whose ends are neither in the payload nor in the project, or that became loops when entities merged. */
  relationsSkipped: number;
  mentionsAdded: number;
  mentionsSkipped: number;
  documents: number;
  chunksAdded: number;
  /** Chunks of an earlier import of the same documents, replaced by this one. */
  chunksReplaced: number;
  /** Chunks whose document or chunk id already belongs to this tenant's own notes or another project. */
  chunksSkipped: number;
}

/** Undirected relation types, stored with their ends in id order (as ingest stores them). */
const UNDIRECTED = new Set(['CO_OCCURS']);

/** The path an imported document gets: it has no file in KNOWLEDGE_DIR, so ingest never removes it. */
export function importedDocumentPath(issuer: string, docId: string): string {
  return `federation/${issuer}/${docId}`;
}

/**
 * Writes a verified payload into the importing project in one IMMEDIATE transaction, together with
 * the replay guard's row: either all of it lands or nothing does.
 *
 * Ids: entity ids derive from the project, so each is recomputed as md5("<our project>:<name>")[:12]
 * (or resolved through our aliases), exactly what our own ingest would give the same name; entities
 * that already exist keep their name and type. Document and chunk ids derive from the exporter's
 * file paths, not the project, and are kept. A document already imported before is replaced whole;
 * a document or chunk id that belongs to our own notes or to another project is left alone.
 */
export function writePayload(db: DB, payload: IncomingPayload, target: ImportTarget): ImportCounts {
  const stmt = statements(db);
  return db
    .transaction((): ImportCounts => {
      if (stmt.imported.get(target.project, target.envelopeId)) {
        throw new FederationRefusal(
          'replay',
          `envelope ${target.envelopeId} was already imported into project ${target.project}`,
        );
      }
      const counts: ImportCounts = {
        entitiesAdded: 0,
        entitiesPresent: 0,
        relationsAdded: 0,
        relationsPresent: 0,
        relationsSkipped: 0,
        mentionsAdded: 0,
        mentionsSkipped: 0,
        documents: 0,
        chunksAdded: 0,
        chunksReplaced: 0,
        chunksSkipped: 0,
      };

      const entityIds = new Map<string, string>();
      for (const entity of payload.entities) {
        const id =
          stmt.aliasTarget.get(target.project, normaliseName(entity.name))?.entity_id ?? entityId(target.project, entity.name);
        const added = stmt.insertEntity.run(
          id,
          target.project,
          entity.name,
          normaliseName(entity.name),
          entity.type,
          target.now,
          target.now,
        ).changes;
        if (added > 0) counts.entitiesAdded += 1;
        else counts.entitiesPresent += 1;
        entityIds.set(entity.id, id);
      }
      const resolve = (ref: string): string | null =>
        entityIds.get(ref) ?? stmt.entityInProject.get(ref, target.project)?.id ?? null;

      const payloadChunkIds = new Set(payload.chunks.map((chunk) => chunk.id));
      const writtenChunkIds = writeChunks(stmt, payload.chunks, target, counts);

      for (const relation of payload.relations) {
        if (relation.type === MENTIONS && payloadChunkIds.has(relation.from)) {
          const entity = resolve(relation.to);
          if (entity && writtenChunkIds.has(relation.from)) {
            stmt.upsertMention.run(relation.from, entity, target.project, Math.max(1, Math.round(relation.weight)));
            counts.mentionsAdded += 1;
          } else {
            counts.mentionsSkipped += 1;
          }
          continue;
        }
        const from = resolve(relation.from);
        const to = resolve(relation.to);
        if (!from || !to || from === to) {
          counts.relationsSkipped += 1;
          continue;
        }
        const [a, b] = UNDIRECTED.has(relation.type) && to < from ? [to, from] : [from, to];
        const qualifiers = { ...relation.qualifiers, imported_from: { issuer: target.issuer, origin_tool: relation.originTool } };
        const added = stmt.insertRelation.run({
          project: target.project,
          from: a,
          to: b,
          type: relation.type,
          weight: relation.weight,
          confidence: relation.confidence,
          verified: relation.verified ? 1 : 0,
          sessionId: relation.sessionId,
          createdAt: relation.createdAt ?? target.now,
          now: target.now,
          qualifiers: JSON.stringify(qualifiers),
        }).changes;
        if (added > 0) counts.relationsAdded += 1;
        else counts.relationsPresent += 1;
      }

      stmt.recordImport.run(target.project, target.envelopeId, target.issuer, target.createdAt, target.now);
      return counts;
    })
    .immediate();
}

function statements(db: DB) {
  return {
    imported: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM federation_imports WHERE project = ? AND envelope_id = ?',
    ),
    aliasTarget: db.prepare<[string, string], { entity_id: string }>(
      'SELECT entity_id FROM entity_aliases WHERE project = ? AND alias_norm = ? ORDER BY entity_id LIMIT 1',
    ),
    insertEntity: db.prepare(`INSERT INTO entities (id, project, name, norm, type, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`),
    entityInProject: db.prepare<[string, string], { id: string }>('SELECT id FROM entities WHERE id = ? AND project = ?'),
    document: db.prepare<[string], { project: string; source: string; created_at: string }>(
      'SELECT project, source, created_at FROM documents WHERE id = ?',
    ),
    deleteChunks: db.prepare('DELETE FROM chunks WHERE doc_id = ?'),
    upsertDocument: db.prepare(`INSERT INTO documents (id, project, path, abs_path, title, content_hash, front_matter, bytes,
        tokens, mtime_ms, source, user_id, memory_id, created_at, updated_at)
      VALUES (@id, @project, @path, NULL, @title, @contentHash, '{}', @bytes, @tokens, NULL, 'federation', NULL, NULL, @createdAt, @now)
      ON CONFLICT(id) DO UPDATE SET path = excluded.path, title = excluded.title, content_hash = excluded.content_hash,
        bytes = excluded.bytes, tokens = excluded.tokens, updated_at = excluded.updated_at`),
    chunkExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM chunks WHERE id = ?'),
    insertChunk:
      db.prepare(`INSERT INTO chunks (id, doc_id, project, chunk_idx, heading, text, tokens, source, user_id, memory_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`),
    upsertMention: db.prepare(`INSERT INTO mentions (chunk_id, entity_id, project, count) VALUES (?, ?, ?, ?)
      ON CONFLICT(chunk_id, entity_id) DO UPDATE SET count = excluded.count`),
    // Shared and open from the relation's creation; a relation that already holds here is kept as it is.
    insertRelation: db.prepare(`INSERT INTO relations (project, from_id, to_id, type, weight, confidence, verified, origin_tool,
        session_id, created_at, last_seen_at, qualifiers, valid_from)
      VALUES (@project, @from, @to, @type, @weight, @confidence, @verified, 'federation', @sessionId, @createdAt, @now, @qualifiers,
        @createdAt)
      ON CONFLICT DO NOTHING`),
    recordImport: db.prepare(
      'INSERT INTO federation_imports (project, envelope_id, issuer, created_at, imported_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

type Statements = ReturnType<typeof statements>;

/** Writes chunks document by document; returns the ids of the chunks now in the graph from this import. */
function writeChunks(stmt: Statements, chunks: IncomingChunk[], target: ImportTarget, counts: ImportCounts): Set<string> {
  const byDocument = new Map<string, IncomingChunk[]>();
  for (const chunk of chunks) {
    const group = byDocument.get(chunk.docId);
    if (group) group.push(chunk);
    else byDocument.set(chunk.docId, [chunk]);
  }
  const written = new Set<string>();
  for (const [docId, docChunks] of byDocument) {
    const existing = stmt.document.get(docId);
    if (existing && (existing.project !== target.project || existing.source !== 'federation')) {
      counts.chunksSkipped += docChunks.length;
      continue;
    }
    if (existing) counts.chunksReplaced += stmt.deleteChunks.run(docId).changes;
    docChunks.sort((a, b) => a.index - b.index);
    stmt.upsertDocument.run({
      id: docId,
      project: target.project,
      path: importedDocumentPath(target.issuer, docId),
      title: docChunks[0]?.source || docId,
      contentHash: contentHash(docChunks.map((chunk) => chunk.text).join('\n\n')),
      bytes: docChunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.text), 0),
      tokens: docChunks.reduce((sum, chunk) => sum + estimateTokens(chunk.text), 0),
      createdAt: existing?.created_at ?? target.now,
      now: target.now,
    });
    counts.documents += 1;
    for (const chunk of docChunks) {
      if (written.has(chunk.id) || stmt.chunkExists.get(chunk.id)) {
        counts.chunksSkipped += 1;
        continue;
      }
      stmt.insertChunk.run(
        chunk.id,
        docId,
        target.project,
        chunk.index,
        headingOf(chunk.text),
        chunk.text,
        estimateTokens(chunk.text),
        chunk.source,
      );
      written.add(chunk.id);
      counts.chunksAdded += 1;
    }
  }
  return written;
}

const HEADING_LINE = /^#{1,3}[ \t]+(.+?)[ \t]*#*[ \t]*$/;

/** Our chunks start with their section's heading line; the payload has no heading field, so read it back. */
function headingOf(text: string): string | null {
  const first = text.split('\n', 1)[0] ?? '';
  return HEADING_LINE.exec(first)?.[1]?.trim() ?? null;
}
