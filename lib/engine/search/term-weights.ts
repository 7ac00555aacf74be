import type { DB } from '../../store/open-writer';
import { ftsExpression } from './query-terms';

/**
 * Which query words the full-text ranking of a large store reads, and over which chunks, so that
 * the cost of the text list stays near that of a small store's.
 *
 * What a ranking costs is the chunks it scores: about 1 µs for each chunk holding any of its words
 * (100 ms for four words held by a fifth to a half of 100,000 chunks each). Over a store larger
 * than LARGE_STORE_CHUNKS:
 * - Words held by more than half the chunks are left out when the query has a rarer one: FTS5's
 *   bm25 floors their IDF at 1e-6 (its formula would go negative), so they move no chunk.
 * - The chunks holding one of the rarest words (as many words as SCORED_ROWS chunks hold together)
 *   are ranked over the whole store, and the newest RECENT_ROWS chunks too; both reads score all the
 *   words that weigh, so every chunk in either gets its exact score, and they are merged by score
 *   (search.ts). An older chunk holding only common words is left out: the graph and dense lists
 *   still rank the whole store. The index still walks each common word's matches (a tenth of the
 *   cost of scoring them), and bm25 counts them for its IDF.
 * When every word that weighs fits SCORED_ROWS, or the store is small, the one read is exact.
 */
export const LARGE_STORE_CHUNKS = 10_000;
export const RECENT_ROWS = 10_000;
export const SCORED_ROWS = 10_000;
/** Document counts are reused until the chunks have grown or shrunk by this fraction, or for SNAPSHOT_MS. */
const SNAPSHOT_DRIFT = 0.02;
const SNAPSHOT_MS = 10 * 60_000;
const MAX_CACHED_TERMS = 20_000;

/**
 * One ranked read of the text index: the words to match, over chunks with a rowid above minRowid
 * and, when `holding` is set, only chunks that hold one of those words.
 */
export interface TextRead {
  terms: string[];
  minRowid: number;
  holding?: string[];
}

/** The reads of one text list: one, or on a large store the rare words over all chunks and every word over the newest. */
export type TextPlan = TextRead[];

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
  scoredRows: number;
}

const DEFAULT_LIMITS: TermWeightLimits = {
  largeStoreChunks: LARGE_STORE_CHUNKS,
  recentRows: RECENT_ROWS,
  scoredRows: SCORED_ROWS,
};

/** The rarest words, as many as `budget` chunks hold together (a chunk holding two counts twice). */
function rarestWithin(terms: string[], holders: Map<string, number>, budget: number): string[] {
  const rarestFirst = [...terms].sort((a, b) => (holders.get(a) ?? 0) - (holders.get(b) ?? 0));
  const rare: string[] = [];
  let held = 0;
  for (const term of rarestFirst) {
    held += holders.get(term) ?? 0;
    if (held > budget) break;
    rare.push(term);
  }
  return rare;
}

export class TermWeights {
  private readonly stmt;
  private snapshot: Snapshot | null = null;

  constructor(
    db: DB,
    private readonly limits: TermWeightLimits = DEFAULT_LIMITS,
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
    const { largeStoreChunks, recentRows, scoredRows } = this.limits;
    const whole = (words: string[]): TextPlan => [{ terms: words, minRowid: 0 }];
    if (maxRowid <= largeStoreChunks || terms.length === 0) return whole(terms);
    const snapshot = this.current(maxRowid);
    if (snapshot.chunks <= largeStoreChunks) return whole(terms);
    const newest = { minRowid: Math.max(0, maxRowid - recentRows) };
    const holders = new Map(terms.map((term) => [term, this.holdingChunks(term, snapshot)]));
    const weighted = terms.filter((term) => (holders.get(term) ?? 0) * 2 <= snapshot.chunks);
    if (weighted.length === 0) return [{ terms, ...newest }];
    if (every) return this.everyWordPlan(terms, holders, newest.minRowid);
    const rare = rarestWithin(weighted, holders, scoredRows);
    if (rare.length === weighted.length) return whole(weighted);
    const older = rare.length > 0 ? [{ terms: weighted, holding: rare, minRowid: 0 }] : [];
    return [...older, { terms: weighted, ...newest }];
  }

  /**
   * Every word must be in the chunk, so the chunks scored are at most those of the rarest word: when
   * they fit SCORED_ROWS the store is ranked whole (exactly), else the newest chunks are.
   */
  private everyWordPlan(terms: string[], holders: Map<string, number>, newestFrom: number): TextPlan {
    const fewest = Math.min(...terms.map((term) => holders.get(term) ?? 0));
    return [{ terms, minRowid: fewest <= this.limits.scoredRows ? 0 : newestFrom }];
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
