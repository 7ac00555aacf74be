import { RRF_K, weightedReciprocalRankFusion } from './rrf';
import type { GraphCandidates } from './why';

/**
 * The ranked lists a search fuses: full-text (BM25, any query word), graph walk, dense (nearest by
 * meaning), and `allTerms`: the full-text hits that hold every query word (BM25 order), so that a
 * passage quoted word for word is not outvoted by neighbours the other lists agree on.
 */
export interface ArmLists {
  text: string[];
  allTerms: string[];
  graph: GraphCandidates;
  dense: string[];
}

export interface FusionWeights {
  k: number;
  text: number;
  allTerms: number;
  graph: number;
  dense: number;
}

/** With the dense arm off: the two-list fusion as it was before the dense arm existed. */
export const TWO_ARM_FUSION: FusionWeights = { k: RRF_K, text: 1, allTerms: 0, graph: 1, dense: 0 };

/**
 * Chosen by the grid search of `npm run bench:retrieval` (58 paraphrased questions over 63 READMEs,
 * document-level R@1 / R@5 / MRR): k = 10, text 1, graph 0.25, dense 0.5 gives 0.259 / 0.517 / 0.380;
 * the best MRR of the 240 settings, 0.383 (k = 5, no graph list), is one question's difference and
 * finds fewer answers in the top 5 (0.483); k = 60 with equal weights gives 0.190 / 0.448 / 0.308. A
 * small k lets the top of each list count most. The graph arm hurts these paraphrases (BM25 + graph
 * 0.103 / 0.293 / 0.226 against BM25 alone 0.224 / 0.466 / 0.341), so it is kept light, for the
 * queries that name entities (which the bench's paraphrases rarely do). The all-terms list changes
 * nothing on the bench (a paraphrase seldom holds every query word); it weighs as much as the text
 * list so that a passage that holds every word of the query comes first unless the others disagree
 * strongly: at k = 10, a chunk second in the text list and first in the dense one would otherwise
 * outrank the one quoted word for word.
 */
export const THREE_ARM_FUSION: FusionWeights = { k: 10, text: 1, allTerms: 1, graph: 0.25, dense: 0.5 };

/** Each chunk's fused score. */
export function fuseArms(lists: ArmLists, weights: FusionWeights): Map<string, number> {
  return weightedReciprocalRankFusion(
    [
      { ids: lists.text, weight: weights.text },
      { ids: lists.allTerms, weight: weights.allTerms },
      { ids: lists.graph.ids, weight: weights.graph },
      { ids: lists.dense, weight: weights.dense },
    ],
    weights.k,
  );
}

/** Fused scores best first; ties by chunk id, so that the order is the same every time. */
export function rankFused(scores: Map<string, number>): Array<[string, number]> {
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
