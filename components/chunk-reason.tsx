import type { ChunkHit } from '@/lib/read/query-detail';
import type { Revealed } from '@/lib/read/sensitive';
import { formatScore } from '@/lib/format';

type Hit = Revealed<ChunkHit>;

/** What one reason of the graph list says: the entity the query names, or the hop from one. */
function GraphReason({ reason }: { reason: Hit['graph'][number] }) {
  return reason.via ? (
    <>
      mentions <strong>{reason.name}</strong>, one relation from <strong>{reason.via.name}</strong> (named in the query)
    </>
  ) : (
    <>
      mentions <strong>{reason.name}</strong> (named in the query)
    </>
  );
}

/** A returned chunk's score and why it came back, or that the writer did not record it. */
export function ChunkReason({ hit }: { hit: Hit | null }) {
  if (!hit)
    return <p className="text-xs text-slate-500 dark:text-slate-400">score not recorded (searches logged before it was)</p>;
  return (
    <div className="text-xs text-slate-600 dark:text-slate-400" data-testid="chunk-reason">
      <span className="font-medium tabular-nums">score {formatScore(hit.score)}</span>
      {hit.textRank !== null && <span> · text match (#{hit.textRank} by full-text rank)</span>}
      {hit.allTermsRank !== null && <span> · every query word (#{hit.allTermsRank})</span>}
      {hit.graphRank !== null && <span> · graph (#{hit.graphRank})</span>}
      {hit.denseRank !== null && <span> · meaning (#{hit.denseRank} by closeness to the query)</span>}
      {hit.graph.length > 0 && (
        <ul className="mt-0.5 list-disc pl-5">
          {hit.graph.map((reason) => (
            <li key={`${reason.id}-${reason.via?.id ?? ''}`}>
              <GraphReason reason={reason} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the figures on a search's page mean, said once where they are shown. */
export const QUERY_TERMS = {
  tokens:
    'Tokens injected: the returned chunks’ size, what the agent received. Baseline: the whole notes those chunks come from, what pasting them would have cost.',
  topScore: 'Top score: the first result’s score, the highest of the scores below.',
  score:
    'Score: weighted reciprocal rank fusion, Σ weight / (k + rank) over the full-text (BM25) list, the every-word list (full-text hits holding every word of the query), the graph list (chunks mentioning entities the query names, or their neighbours) and the meaning list (chunks whose word vectors are nearest the query’s); higher is better. With the meaning list on: k = 10, weights 1, 1, 0.25 and 0.5; with it off: k = 60, full text and graph 1 each.',
} as const;
