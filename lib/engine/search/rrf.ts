/** Reciprocal rank fusion: each list votes weight / (k + rank) for its items (Cormack et al., 2009: k = 60). */
export const RRF_K = 60;

export interface RankedList {
  ids: readonly string[];
  weight: number;
}

export function reciprocalRankFusion(lists: ReadonlyArray<readonly string[]>, k = RRF_K): Map<string, number> {
  return weightedReciprocalRankFusion(
    lists.map((ids) => ({ ids, weight: 1 })),
    k,
  );
}

export function weightedReciprocalRankFusion(lists: readonly RankedList[], k: number): Map<string, number> {
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    if (weight === 0) continue;
    ids.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1)));
  }
  return scores;
}
