/**
 * The payload records, in the Python HydraMem's shapes:
 *
 * - entity `{id, name, type, project}`
 * - relation `{from, to, relation_type, confidence, verified, session_id, origin_tool, created_at, qualifiers}`;
 *   confidence is a float, verified a boolean, qualifiers a JSON text (an object is accepted on import)
 * - chunk `{id, text, source, chunk_idx, doc_id, project}`
 *
 * Chunk-to-entity mentions travel as relations of type MENTIONS from the chunk id to the entity id,
 * which is how the Python graph stores them. Our relation weight (and a mention's count) travels in
 * qualifiers as `weight`: Python keeps qualifiers as an opaque JSON text, so the extra key is harmless
 * there and the envelope keeps Python's field set exactly.
 */
export const MENTIONS = 'MENTIONS';

export interface PayloadCounts {
  entities: number;
  relations: number;
  chunks: number;
}

export const NO_COUNTS: PayloadCounts = { entities: 0, relations: 0, chunks: 0 };
