import type { WordVectors } from './word-vectors';

/**
 * Smooth inverse frequency (Arora, Liang & Ma, 2017): a text's vector is the mean of its words'
 * vectors, each weighted a / (a + p(w)), so that frequent words count for little. p(w) comes from
 * the package's own word order (its corpus's frequency ranks) through Zipf's law,
 * p(rank r) = 1 / ((r + 1) · H(N)), rather than from the tenant's notes: a fixed estimate keeps
 * every stored vector valid as the notes grow (vectors are computed once per chunk, never
 * recomputed because other notes changed), and a small tenant's counts would be noise.
 */
export const SIF_A = 3e-4;

const EULER_GAMMA = 0.5772156649;
const MAX_WORDS = 4000;

/** Letter-and-digit runs, lower-cased, with camelCase split ("GraphSearch" → graph, search). */
export function embeddingWords(text: string): string[] {
  const split = text.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
  return (split.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

export class SifEmbedder {
  private readonly weights: Float32Array;

  constructor(
    readonly vectors: WordVectors,
    a = SIF_A,
  ) {
    const harmonic = Math.log(vectors.size) + EULER_GAMMA;
    this.weights = new Float32Array(vectors.size);
    for (let row = 0; row < vectors.size; row++) {
      const probability = 1 / ((vectors.rankOf(row) + 1) * harmonic);
      this.weights[row] = a / (a + probability);
    }
  }

  get dimensions(): number {
    return this.vectors.dimensions;
  }

  /** The text's unit-length vector, or null when none of its words has a vector. */
  embed(text: string): Float32Array | null {
    const sum = new Float32Array(this.vectors.dimensions);
    let known = 0;
    for (const word of embeddingWords(text)) {
      const row = this.vectors.indexOf(word);
      if (row === undefined) continue;
      this.vectors.addTo(sum, row, this.weights[row] ?? 0);
      known += 1;
    }
    if (known === 0) return null;
    let norm = 0;
    for (const value of sum) norm += value * value;
    if (norm === 0) return null;
    const inverse = 1 / Math.sqrt(norm);
    for (let d = 0; d < sum.length; d++) sum[d] = (sum[d] ?? 0) * inverse;
    return sum;
  }
}
