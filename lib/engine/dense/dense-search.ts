import * as sqliteVec from 'sqlite-vec';
import type { DB } from '../../store/open-writer';
import { visibleTo, type scopeParams } from '../../store/scope';
import type { SifEmbedder } from './sif';
import { decodeVector, encodeVector } from './vector-codec';
import { VectorIndex } from './vector-index';

type ScopeParams = ReturnType<typeof scopeParams>;

/**
 * How alike (cosine) a chunk must be to the query to be a candidate at all, so that a question about
 * nothing in the notes still finds nothing (and counts as a zero-result search). Chosen on the
 * retrieval bench: every answer passage the arm ranks scored 0.71 or more; a query unrelated to a
 * small tenant's notes scores under 0.35. Off-topic questions over the bench's 60 software documents
 * still score 0.45 to 0.78: over a large corpus some nearest chunk is always that alike.
 */
export const DENSE_MIN_SIMILARITY = 0.6;

/** Candidates read from memory per result wanted, so that a few invisible ones do not run the list short. */
const OVERFETCH = 2;
/** Past this many, the scan in SQLite is as quick as reading them back. */
const MAX_FROM_MEMORY = 2_000;

/**
 * The dense arm: the chunks nearest the query's vector by cosine, among those the reader may see
 * and alike enough (DENSE_MIN_SIMILARITY). The vectors are scanned in memory (vector-index.ts); the
 * nearest are read back from graph.db with the reader's scope, which drops chunks deleted since and
 * chunks of other users. The answer is exact: when too few of the nearest are visible, more are read,
 * and past MAX_FROM_MEMORY (or when a vector in memory is not the stored one) the scan runs in SQLite
 * instead (sqlite-vec's vec_distance_cosine over signed bytes).
 */
export class DenseSearch {
  private readonly stmt;
  private readonly index: VectorIndex;

  constructor(
    private readonly db: DB,
    private readonly project: string,
    private readonly embedder: () => SifEmbedder,
    index?: VectorIndex,
  ) {
    sqliteVec.load(db);
    this.index = index ?? new VectorIndex(db, project);
    this.stmt = {
      nearest: db.prepare<ScopeParams & { query: Buffer; project: string; limit: number; maxDistance: number }, { id: string }>(
        `SELECT id FROM (
           SELECT c.id, c.rowid AS chunk_rowid, vec_distance_cosine(vec_int8(v.vector), vec_int8(@query)) AS distance
           FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid
           WHERE +c.project = @project AND ${visibleTo('c')}
         ) WHERE distance <= @maxDistance ORDER BY distance, chunk_rowid LIMIT @limit`,
      ),
    };
  }

  /** Chunk ids, nearest first; none for a query without a word that has a vector. */
  candidates(query: string, params: ScopeParams, limit: number): string[] {
    const vector = this.embedder().embed(query);
    if (!vector) return [];
    const encoded = encodeVector(vector);
    const fromMemory = this.fromMemory(decodeVector(encoded), params, limit);
    if (fromMemory) return fromMemory;
    const maxDistance = 1 - DENSE_MIN_SIMILARITY;
    return this.stmt.nearest.all({ query: encoded, project: this.project, limit, maxDistance, ...params }).map((row) => row.id);
  }

  /** The answer from the in-memory scan, or null when it cannot be given exactly that way. */
  private fromMemory(query: Int8Array, params: ScopeParams, limit: number): string[] | null {
    for (let wanted = limit * OVERFETCH; wanted <= MAX_FROM_MEMORY; wanted *= 4) {
      const near = this.index.nearest(query, DENSE_MIN_SIMILARITY, wanted);
      const stored = this.storedRows(
        near.map((item) => item.rowid),
        params,
      );
      if (stored === null) return null;
      const visible = near.flatMap((item) => {
        const id = stored.get(item.rowid);
        return id === undefined ? [] : [id];
      });
      // Every vector alike enough was seen, or enough of them are visible: nothing nearer is missing.
      if (near.length < wanted || visible.length >= limit) return visible.slice(0, limit);
    }
    return null;
  }

  /** Chunk ids by rowid for the visible ones; null when a vector in memory differs from the stored one. */
  private storedRows(rowids: number[], params: ScopeParams): Map<number, string> | null {
    const rows = new Map<number, string>();
    if (rowids.length === 0) return rows;
    const found = this.db
      .prepare<unknown[], { rowid: number; id: string; vector: Buffer }>(
        `SELECT c.rowid, c.id, v.vector FROM chunks c JOIN chunk_vectors v ON v.chunk_rowid = c.rowid
         WHERE c.rowid IN (${rowids.map(() => '?').join(',')}) AND +c.project = @project AND ${visibleTo('c')}`,
      )
      .all(...rowids, { project: this.project, ...params });
    for (const row of found) {
      if (!this.index.holds(row.rowid, row.vector)) {
        this.index.invalidate();
        return null;
      }
      rows.set(row.rowid, row.id);
    }
    return rows;
  }
}
