import type { DB } from '../../store/open-writer';
import { Int8Dots } from './int8-dots';
import { decodeVector } from './vector-codec';

const DIMENSIONS = 100;
/** After this many writes the index checks whether deleted chunks' vectors have piled up. */
const COMPACT_CHECK_EVERY = 2_000;
/** Reloaded when it holds this much more than the store. */
const COMPACT_RATIO = 1.25;
const INITIAL_SLOTS = 1024;

export interface NearVector {
  rowid: number;
  similarity: number;
}

/** True when `a` ranks below `b`: less alike, or as alike with a higher rowid (the SQL order, reversed). */
function worse(a: NearVector, b: NearVector): boolean {
  return a.similarity < b.similarity || (a.similarity === b.similarity && a.rowid > b.rowid);
}

/** The `limit` best of a stream, in a heap whose root is the worst kept. */
class TopK {
  readonly items: NearVector[] = [];
  constructor(private readonly limit: number) {}

  offer(item: NearVector): void {
    const heap = this.items;
    if (heap.length < this.limit) {
      heap.push(item);
      this.up(heap.length - 1);
    } else if (heap[0] && worse(heap[0], item)) {
      heap[0] = item;
      this.down(0);
    }
  }

  sorted(): NearVector[] {
    return [...this.items].sort((a, b) => b.similarity - a.similarity || a.rowid - b.rowid);
  }

  private up(index: number): void {
    const heap = this.items;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const [child, above] = [heap[i], heap[parent]];
      if (!child || !above || !worse(child, above)) return;
      [heap[i], heap[parent]] = [above, child];
      i = parent;
    }
  }

  private down(index: number): void {
    const heap = this.items;
    let i = index;
    for (;;) {
      let worst = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        const [candidate, current] = [heap[child], heap[worst]];
        if (candidate && current && worse(candidate, current)) worst = child;
      }
      if (worst === i) return;
      const [a, b] = [heap[i], heap[worst]];
      if (!a || !b) return;
      [heap[i], heap[worst]] = [b, a];
      i = worst;
    }
  }
}

/**
 * The project's chunk vectors in memory, for the dense arm's scan: the dot products of the query with
 * every vector are computed in WebAssembly SIMD (int8-dots.ts), 0.75 ms for 100,000 chunks, against
 * 40–65 ms for SQLite calling sqlite-vec once per row. Loaded from graph.db at the first search; every
 * vector the writer writes afterwards is put here too (ChunkVectors.write). A deleted chunk's vector
 * stays until the next reload: the search reads its candidates back from graph.db, which drops those
 * and checks that each vector is still the one stored (dense-search.ts).
 */
export class VectorIndex {
  private readonly stmt;
  private loaded = false;
  private rowids: number[] = [];
  private store = new Int8Dots(DIMENSIONS, 0);
  private norms = new Float32Array(0);
  private readonly slots = new Map<number, number>();
  private writesSinceCheck = 0;

  constructor(
    db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      all: db.prepare<[string], { rowid: number; vector: Buffer }>(
        `SELECT v.chunk_rowid AS rowid, v.vector FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid
         WHERE +c.project = ? ORDER BY v.chunk_rowid`,
      ),
      count: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid WHERE +c.project = ?',
      ),
    };
  }

  /** A vector just written to graph.db. */
  put(rowid: number, blob: Uint8Array): void {
    if (!this.loaded) return;
    this.place(rowid, blob);
    if (++this.writesSinceCheck >= COMPACT_CHECK_EVERY) this.checkSize();
  }

  /** Whether the index holds `blob` as rowid's vector (it is not loaded: nothing to contradict). */
  holds(rowid: number, blob: Uint8Array): boolean {
    if (!this.loaded) return true;
    const slot = this.slots.get(rowid);
    if (slot === undefined || blob.byteLength !== DIMENSIONS) return false;
    const stored = decodeVector(blob);
    const vectors = this.store.vectors();
    const offset = slot * DIMENSIONS;
    for (let d = 0; d < DIMENSIONS; d++) if (vectors[offset + d] !== stored[d]) return false;
    return true;
  }

  /** Forgets everything: the next search reads the store again. */
  invalidate(): void {
    this.loaded = false;
    this.rowids = [];
    // A new memory: a WebAssembly memory cannot shrink, and a reload may hold far fewer vectors.
    this.store = new Int8Dots(DIMENSIONS, 0);
    this.norms = new Float32Array(0);
    this.slots.clear();
  }

  /** The `limit` vectors most alike `query` (cosine), of at least `minSimilarity`, best first. */
  nearest(query: Int8Array, minSimilarity: number, limit: number): NearVector[] {
    if (!this.loaded) this.load();
    const queryNorm = norm(query, 0);
    if (queryNorm === 0) return [];
    const top = new TopK(limit);
    const { norms, rowids } = this;
    const dots = this.store.dots(query, rowids.length);
    for (let slot = 0; slot < rowids.length; slot++) {
      const rowNorm = norms[slot] ?? 0;
      if (rowNorm === 0) continue;
      const similarity = (dots[slot] ?? 0) / (rowNorm * queryNorm);
      if (similarity >= minSimilarity) top.offer({ rowid: rowids[slot] ?? 0, similarity });
    }
    return top.sorted();
  }

  private load(): void {
    this.invalidate();
    const rows = this.stmt.all.all(this.project);
    this.store.reserve(Math.max(INITIAL_SLOTS, rows.length * 2));
    this.norms = new Float32Array(this.store.capacity);
    this.loaded = true;
    for (const row of rows) this.place(row.rowid, row.vector);
    this.writesSinceCheck = 0;
  }

  private place(rowid: number, blob: Uint8Array): void {
    if (blob.byteLength !== DIMENSIONS) return;
    const slot = this.slots.get(rowid) ?? this.append(rowid);
    const vectors = this.store.vectors();
    vectors.set(decodeVector(blob), slot * DIMENSIONS);
    this.norms[slot] = norm(vectors, slot);
  }

  private append(rowid: number): number {
    const slot = this.rowids.length;
    if (slot + 1 > this.store.capacity) {
      this.store.reserve(Math.max(INITIAL_SLOTS, this.store.capacity * 2));
      const norms = new Float32Array(this.store.capacity);
      norms.set(this.norms);
      this.norms = norms;
    }
    this.rowids.push(rowid);
    this.slots.set(rowid, slot);
    return slot;
  }

  private checkSize(): void {
    this.writesSinceCheck = 0;
    const stored = this.stmt.count.get(this.project)?.n ?? 0;
    if (this.rowids.length > stored * COMPACT_RATIO + COMPACT_CHECK_EVERY) this.invalidate();
  }
}

function norm(vectors: Int8Array, slot: number): number {
  let sum = 0;
  const offset = slot * DIMENSIONS;
  for (let d = 0; d < DIMENSIONS; d++) {
    const value = vectors[offset + d] ?? 0;
    sum += value * value;
  }
  return Math.sqrt(sum);
}
