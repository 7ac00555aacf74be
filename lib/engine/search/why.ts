import type { ChunkHitRecord } from '../../store/chunk-hits';
import type { ArmLists } from './fusion';

/** Reasons kept per chunk: the strongest entities that led the graph to it. */
const REASONS_PER_HIT = 5;

export type GraphReason = ChunkHitRecord['graph'][number];

/** The graph list: chunk ids best first, and per chunk the entities that led to it (strongest first). */
export interface GraphCandidates {
  ids: string[];
  reasons: Map<string, Array<GraphReason & { weight: number }>>;
}

/** What a search result says about why it came back (the hit's fields other than id and score). */
export type HitReasons = Omit<ChunkHitRecord, 'id' | 'score'>;

/** Why each chunk came back: its 1-based ranks in the lists, and the strongest entities the graph reached it through. */
export function whyOf(lists: ArmLists): (id: string) => HitReasons {
  const { graph } = lists;
  const ranksOf = (ids: readonly string[]) => new Map(ids.map((id, index) => [id, index + 1]));
  const [textRanks, allTermsRanks, graphRanks, denseRanks] = [lists.text, lists.allTerms, graph.ids, lists.dense].map(ranksOf);
  return (id) => {
    const graphRank = graphRanks?.get(id) ?? null;
    const reasons = graphRank === null ? [] : (graph.reasons.get(id) ?? []);
    return {
      textRank: textRanks?.get(id) ?? null,
      allTermsRank: allTermsRanks?.get(id) ?? null,
      graphRank,
      denseRank: denseRanks?.get(id) ?? null,
      graph: [...reasons]
        .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1))
        .slice(0, REASONS_PER_HIT)
        .map(({ weight: _weight, ...reason }) => reason),
    };
  };
}
