import type { StoreProblemInfo } from '../read/read-model';

/**
 * What a read gives a page: its data (already revealed or redacted for the viewer), the problem of
 * a store it needs, or the word that it took longer than the time budget and was stopped.
 */
export type ReadResult<Data> =
  | { ok: true; data: Data }
  | { ok: false; kind: 'store'; problem: StoreProblemInfo }
  | { ok: false; kind: 'budget'; budgetMs: number };

export type ReadFailure = Exclude<ReadResult<unknown>, { ok: true }>;

export function isFailure<Data>(result: ReadResult<Data>): result is ReadFailure {
  return !result.ok;
}
