import * as sqliteVec from 'sqlite-vec';
import type { DB } from '../../store/open-writer';
import { visibleTo, type scopeParams } from '../../store/scope';
import type { SifEmbedder } from './sif';
import { encodeVector } from './vector-codec';

type ScopeParams = ReturnType<typeof scopeParams>;

/**
 * How alike (cosine) a chunk must be to the query to be a candidate at all, so that a question about
 * nothing in the notes still finds nothing (and counts as a zero-result search). Chosen on the
 * retrieval bench: every answer passage the arm ranks scored 0.71 or more; a query unrelated to a
 * small tenant's notes scores under 0.35. Off-topic questions over the bench's 60 software documents
 * still score 0.45 to 0.78: over a large corpus some nearest chunk is always that alike.
 */
export const DENSE_MIN_SIMILARITY = 0.6;

/**
 * The dense arm: the chunks nearest the query's vector by cosine, among those the reader may see
 * and alike enough (DENSE_MIN_SIMILARITY). A scan of every vector of the project in SQLite
 * (sqlite-vec's vec_distance_cosine over signed bytes): about 20 ms at 100k chunks here, so no
 * approximate index is needed at this size.
 */
export class DenseSearch {
  private readonly nearest;

  constructor(
    db: DB,
    private readonly project: string,
    private readonly embedder: () => SifEmbedder,
  ) {
    sqliteVec.load(db);
    this.nearest = db.prepare<
      ScopeParams & { query: Buffer; project: string; limit: number; maxDistance: number },
      { id: string }
    >(
      `SELECT id FROM (
         SELECT c.id, c.rowid AS chunk_rowid, vec_distance_cosine(vec_int8(v.vector), vec_int8(@query)) AS distance
         FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid
         WHERE +c.project = @project AND ${visibleTo('c')}
       ) WHERE distance <= @maxDistance ORDER BY distance, chunk_rowid LIMIT @limit`,
    );
  }

  /** Chunk ids, nearest first; none for a query without a word that has a vector. */
  candidates(query: string, params: ScopeParams, limit: number): string[] {
    const vector = this.embedder().embed(query);
    if (!vector) return [];
    const maxDistance = 1 - DENSE_MIN_SIMILARITY;
    return this.nearest
      .all({ query: encodeVector(vector), project: this.project, limit, maxDistance, ...params })
      .map((row) => row.id);
  }
}
