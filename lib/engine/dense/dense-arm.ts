import type { DB } from '../../store/open-writer';
import { ChunkVectors } from './chunk-vectors';
import { DenseSearch } from './dense-search';
import { SifEmbedder } from './sif';
import { VectorIndex } from './vector-index';
import { loadWordVectors } from './word-vectors';

let embedder: SifEmbedder | null = null;

/** The process's one embedder, made on first use: the word vectors are read then, not before. */
export function sharedEmbedder(cacheDir: string): () => SifEmbedder {
  return () => (embedder ??= new SifEmbedder(loadWordVectors(cacheDir).vectors));
}

/** What the writer needs of the dense arm: the vectors it writes and the search that reads them. */
export interface DenseArm {
  vectors: ChunkVectors;
  search: DenseSearch;
  /** Reads the word vectors now rather than at the first search or ingest that needs them. */
  prepare(): void;
}

export function openDenseArm(db: DB, project: string, cacheDir: string): DenseArm {
  const embed = sharedEmbedder(cacheDir);
  const index = new VectorIndex(db, project);
  const vectors = new ChunkVectors(db, embed, index);
  vectors.checkModel();
  return { vectors, search: new DenseSearch(db, project, embed, index), prepare: () => void embed() };
}
