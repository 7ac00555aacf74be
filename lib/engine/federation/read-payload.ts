import type { DB } from '../../store/open-writer';
import { currentRelation } from '../../store/relation-validity';
import { JsonFloat } from './canonical-json';
import type { JsonObject } from './envelope';
import { MENTIONS, type PayloadCounts } from './payload';

interface ChunkRow {
  id: string;
  text: string;
  source: string;
  chunk_idx: number;
  doc_id: string;
}

interface MentionRow {
  chunk_id: string;
  entity_id: string;
  count: number;
  updated_at: string;
}

interface RelationRow {
  from_id: string;
  to_id: string;
  type: string;
  weight: number;
  confidence: number;
  verified: number;
  origin_tool: string;
  session_id: string | null;
  created_at: string;
  qualifiers: string;
}

// Shared notes only: a document with a user_id or memory_id is someone's private memory, and an
// export leaves the tenant. The same rule picks chunks, mentions and the relation weights below.
const SHARED_DOC = 'd.user_id IS NULL AND d.memory_id IS NULL';

const CHUNKS = `SELECT c.id, c.text, c.source, c.chunk_idx, c.doc_id FROM chunks c JOIN documents d ON d.id = c.doc_id
  WHERE c.project = ? AND ${SHARED_DOC} ORDER BY c.doc_id, c.chunk_idx`;

const MENTION_ROWS = `SELECT m.chunk_id, m.entity_id, m.count, d.updated_at FROM mentions m
  JOIN chunks c ON c.id = m.chunk_id JOIN documents d ON d.id = c.doc_id
  WHERE c.project = ? AND ${SHARED_DOC} ORDER BY m.chunk_id, m.entity_id`;

// A relation goes out when a shared document supports it (weighted by those documents only) or when
// no document does (it came from a tool or an earlier import, not from anyone's private memory);
// the relations that hold now (closed periods stay here as history).
const RELATIONS = `WITH shared AS (
    SELECT s.relation_id, SUM(s.count) AS weight FROM relation_sources s JOIN documents d ON d.id = s.doc_id
    WHERE d.project = @project AND ${SHARED_DOC} GROUP BY s.relation_id)
  SELECT r.from_id, r.to_id, r.type, COALESCE(shared.weight, r.weight) AS weight, r.confidence, r.verified, r.origin_tool,
    r.session_id, r.created_at, r.qualifiers
  FROM relations r LEFT JOIN shared ON shared.relation_id = r.id
  WHERE r.project = @project AND r.user_id IS NULL AND ${currentRelation('r')}
    AND (shared.relation_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM relation_sources s WHERE s.relation_id = r.id))
  ORDER BY r.id`;

/**
 * Reads one project's shareable graph as a payload, in one read transaction so that the parts agree.
 * Entities are those the exported chunks mention or the exported relations join.
 */
export function readPayload(db: DB, project: string): { payload: JsonObject; counts: PayloadCounts } {
  return db.transaction(() => {
    const chunks = db.prepare<[string], ChunkRow>(CHUNKS).all(project);
    const mentions = db.prepare<[string], MentionRow>(MENTION_ROWS).all(project);
    const relations = db.prepare<{ project: string }, RelationRow>(RELATIONS).all({ project });
    const wanted = new Set<string>();
    for (const mention of mentions) wanted.add(mention.entity_id);
    for (const relation of relations) wanted.add(relation.from_id).add(relation.to_id);
    const entities = db
      .prepare<[string], { id: string; name: string; type: string }>(
        'SELECT id, name, type FROM entities WHERE project = ? AND user_id IS NULL ORDER BY id',
      )
      .all(project)
      .filter((entity) => wanted.has(entity.id));

    const relationRecords: JsonObject[] = relations.map((row) => ({
      from: row.from_id,
      to: row.to_id,
      relation_type: row.type,
      confidence: new JsonFloat(row.confidence),
      verified: row.verified !== 0,
      session_id: row.session_id,
      origin_tool: row.origin_tool,
      created_at: row.created_at,
      qualifiers: JSON.stringify({ ...parseQualifiers(row.qualifiers), weight: row.weight }),
    }));
    for (const mention of mentions) {
      relationRecords.push({
        from: mention.chunk_id,
        to: mention.entity_id,
        relation_type: MENTIONS,
        confidence: new JsonFloat(1),
        verified: false,
        session_id: null,
        origin_tool: 'ingest',
        created_at: mention.updated_at,
        qualifiers: JSON.stringify({ weight: mention.count }),
      });
    }
    const payload: JsonObject = {
      entities: entities.map((entity) => ({ id: entity.id, name: entity.name, type: entity.type, project })),
      relations: relationRecords,
      chunks: chunks.map((chunk) => ({
        id: chunk.id,
        text: chunk.text,
        source: chunk.source,
        chunk_idx: chunk.chunk_idx,
        doc_id: chunk.doc_id,
        project,
      })),
    };
    return { payload, counts: { entities: entities.length, relations: relationRecords.length, chunks: chunks.length } };
  })();
}

function parseQualifiers(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
