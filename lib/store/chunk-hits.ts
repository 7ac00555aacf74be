/**
 * Why a search returned a chunk, as the writer records it in query_log.chunk_hits (a JSON array, one
 * item per returned chunk, in rank order) and the dashboard reads it. Rows written before the column
 * existed hold '[]': their scores were not recorded.
 */
export interface ChunkHitRecord {
  /** The chunk's id. */
  id: string;
  /** The fused score the results are ordered by (weighted reciprocal rank fusion of the lists). */
  score: number;
  /** 1-based rank in the full-text (BM25) list, null when the text did not match. */
  textRank: number | null;
  /** 1-based rank among the full-text hits holding every query word, null when it lacks one or not recorded. */
  allTermsRank: number | null;
  /** 1-based rank in the graph list, null when no entity of the query led to it. */
  graphRank: number | null;
  /** 1-based rank in the dense list (nearest chunks by meaning), null when not among them or not recorded. */
  denseRank: number | null;
  /**
   * The entities through which the graph reached it: an entity the query names (via null), or a
   * neighbour of one (via: the named entity it is one relation away from). At most a few.
   */
  graph: Array<{ id: string; name: string; via: { id: string; name: string } | null }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const rankOf = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const entityOf = (value: unknown): { id: string; name: string } | null =>
  isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string' ? { id: value.id, name: value.name } : null;

/** The recorded hits of one query_log row; anything malformed is left out, never thrown. */
export function parseChunkHits(json: string | null | undefined): ChunkHitRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((item): ChunkHitRecord[] => {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.score !== 'number') return [];
    const graph = Array.isArray(item.graph)
      ? item.graph.flatMap((reason) => {
          const entity = entityOf(reason);
          return entity && isRecord(reason) ? [{ ...entity, via: entityOf(reason.via) }] : [];
        })
      : [];
    return [
      {
        id: item.id,
        score: item.score,
        textRank: rankOf(item.textRank),
        allTermsRank: rankOf(item.allTermsRank),
        graphRank: rankOf(item.graphRank),
        denseRank: rankOf(item.denseRank),
        graph,
      },
    ];
  });
}
