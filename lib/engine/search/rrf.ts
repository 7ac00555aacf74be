/** Reciprocal rank fusion: each list votes 1 / (k + rank) for its items; k = 60 as in the original paper. */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: ReadonlyArray<readonly string[]>, k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return scores;
}
