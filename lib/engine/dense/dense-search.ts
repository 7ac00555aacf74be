import * as sqliteVec from 'sqlite-vec';
import type { DB } from '../../store/open-writer';
import { visibleTo, type scopeParams } from '../../store/scope';
import type { SifEmbedder } from './sif';
import { encodeVector } from './vector-codec';

type ScopeParams = ReturnType<typeof scopeParams>;

/**
 * The dense arm: the chunks nearest the query's vector by cosine, among those the reader may see.
 * A scan of every vector of the project in SQLite (sqlite-vec's vec_distance_cosine over signed
 * bytes): about 20 ms at 100k chunks here, so no approximate index is needed at this size.
 */
export class DenseSearch {
  private readonly nearest;

  constructor(
    db: DB,
    private readonly project: string,
    private readonly embedder: () => SifEmbedder,
  ) {
    sqliteVec.load(db);
    this.nearest = db.prepare<ScopeParams & { query: Buffer; project: string; limit: number }, { id: string }>(
      `SELECT c.id FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid
       WHERE +c.project = @project AND ${visibleTo('c')}
       ORDER BY vec_distance_cosine(vec_int8(v.vector), vec_int8(@query)), c.rowid LIMIT @limit`,
    );
  }

  /** Chunk ids, nearest first; none for a query without a word that has a vector. */
  candidates(query: string, params: ScopeParams, limit: number): string[] {
    const vector = this.embedder().embed(query);
    if (!vector) return [];
    return this.nearest.all({ query: encodeVector(vector), project: this.project, limit, ...params }).map((row) => row.id);
  }
}
