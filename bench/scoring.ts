/** The quality benchmarks' figures, kept apart from the benches so that they can be tested. */

/** 1-based position of the first result from an answer document, or null when none is returned. */
export function firstAnswerRank(results: readonly string[], answers: readonly string[]): number | null {
  const index = results.findIndex((file) => answers.includes(file));
  return index === -1 ? null : index + 1;
}

/** The share of questions whose answer is ranked k or better. */
export function recallAt(ranks: readonly (number | null)[], k: number): number {
  return ranks.filter((rank) => rank !== null && rank <= k).length / Math.max(1, ranks.length);
}

/** The mean of 1/rank, a question with no answer in the results counting 0. */
export function meanReciprocalRank(ranks: readonly (number | null)[]): number {
  return ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / rank), 0) / Math.max(1, ranks.length);
}

export interface Tally {
  truePositives: number;
  found: number;
  gold: number;
}

/** Counts matches of `found` against `gold` by key (both distinct by key). */
export function tally(gold: readonly { key: string }[], found: readonly { key: string }[]): Tally {
  const goldKeys = new Set(gold.map((item) => item.key));
  return { truePositives: found.filter((item) => goldKeys.has(item.key)).length, found: found.length, gold: gold.length };
}

export function sumTallies(tallies: readonly Tally[]): Tally {
  return tallies.reduce(
    (total, t) => ({
      truePositives: total.truePositives + t.truePositives,
      found: total.found + t.found,
      gold: total.gold + t.gold,
    }),
    { truePositives: 0, found: 0, gold: 0 },
  );
}

/** Precision, recall and F1 of a tally; 0 where a denominator is 0. */
export function precisionRecallF1(t: Tally): { precision: number; recall: number; f1: number } {
  const precision = t.found === 0 ? 0 : t.truePositives / t.found;
  const recall = t.gold === 0 ? 0 : t.truePositives / t.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
