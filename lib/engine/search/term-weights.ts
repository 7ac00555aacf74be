import type { DB } from '../../store/open-writer';
import { ftsExpression } from './query-terms';

/**
 * Which query words carry weight in the full-text ranking of a large store, so the text list reads
 * only what can change its order.
 *
 * FTS5's bm25 floors the IDF of a word held by more than half the rows at 1e-6 (its formula would go
 * negative), so such a word moves no chunk up or down; yet reading its postings and scoring every
 * chunk that holds it is what made a common word cost in proportion to the store (about 1.6 µs per
 * holding chunk here, 150 ms for a word in 90% of 100,000 chunks). Over a store larger than
 * LARGE_STORE_CHUNKS:
 * - an any-word list leaves such words out when the query has a rarer one (only chunks holding
 *   nothing but the weightless words drop off the end of the list);
 * - a query of weightless words only is ranked among the newest RECENT_ROWS chunks: bm25 can then
 *   tell chunks apart only by how often they repeat the words, and the dense and graph lists still
 *   rank the whole store.
 * A smaller store is searched exactly as before.
 */
export const LARGE_STORE_CHUNKS = 10_000;
export const RECENT_ROWS = 10_000;
/** Document counts are reused until the chunks have grown or shrunk by this fraction, or for SNAPSHOT_MS. */
const SNAPSHOT_DRIFT = 0.02;
const SNAPSHOT_MS = 10 * 60_000;
const MAX_CACHED_TERMS = 20_000;

/** The words to match and, for a query of weightless words, the lowest chunk rowid to consider. */
export interface TextPlan {
  terms: string[];
  minRowid: number;
}

interface Snapshot {
  chunks: number;
  maxRowid: number;
  takenAt: number;
  documentFrequency: Map<string, number>;
}

/** The sizes above, replaceable so a test can use a small store. */
export interface TermWeightLimits {
  largeStoreChunks: number;
  recentRows: number;
}

export class TermWeights {
  private readonly stmt;
  private snapshot: Snapshot | null = null;

  constructor(
    db: DB,
    private readonly limits: TermWeightLimits = { largeStoreChunks: LARGE_STORE_CHUNKS, recentRows: RECENT_ROWS },
    private readonly clock: () => number = Date.now,
  ) {
    this.stmt = {
      maxRowid: db.prepare<[], { n: number | null }>('SELECT MAX(rowid) AS n FROM chunks'),
      chunks: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM chunks'),
      // Counted through the index itself, so the word is stemmed exactly as the search stems it.
      holding: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM chunks_fts WHERE chunks_fts MATCH ?'),
    };
  }

  /** `terms` are the query's words; `every` when the list needs all of them in one chunk. */
  plan(terms: string[], every: boolean): TextPlan {
    const maxRowid = this.stmt.maxRowid.get()?.n ?? 0;
    // MAX(rowid) is never below the count: a small store is known small without counting it.
    const { largeStoreChunks, recentRows } = this.limits;
    if (maxRowid <= largeStoreChunks || terms.length === 0) return { terms, minRowid: 0 };
    const snapshot = this.current(maxRowid);
    if (snapshot.chunks <= largeStoreChunks) return { terms, minRowid: 0 };
    const weighted = terms.filter((term) => this.holdingChunks(term, snapshot) * 2 <= snapshot.chunks);
    if (weighted.length === 0) return { terms, minRowid: Math.max(0, maxRowid - recentRows) };
    // Every word must still be in the chunk; the rarest one keeps the intersection short.
    return { terms: every ? terms : weighted, minRowid: 0 };
  }

  private current(maxRowid: number): Snapshot {
    const snapshot = this.snapshot;
    const fresh =
      snapshot !== null &&
      Math.abs(maxRowid - snapshot.maxRowid) <= snapshot.chunks * SNAPSHOT_DRIFT &&
      this.clock() - snapshot.takenAt < SNAPSHOT_MS;
    if (fresh) return snapshot;
    this.snapshot = {
      chunks: this.stmt.chunks.get()?.n ?? 0,
      maxRowid,
      takenAt: this.clock(),
      documentFrequency: new Map(),
    };
    return this.snapshot;
  }

  private holdingChunks(term: string, snapshot: Snapshot): number {
    const known = snapshot.documentFrequency.get(term);
    if (known !== undefined) return known;
    const count = this.stmt.holding.get(ftsExpression([term]) ?? '""')?.n ?? 0;
    if (snapshot.documentFrequency.size >= MAX_CACHED_TERMS) snapshot.documentFrequency.clear();
    snapshot.documentFrequency.set(term, count);
    return count;
  }
}
