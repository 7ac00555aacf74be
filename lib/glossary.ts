/**
 * What the dashboard's terms mean, in one place, shown where each term is (components/term-list.tsx, the KPI cards). Each line
 * says what the writer does, as lib/engine does it.
 */
export const GLOSSARY = {
  merged: 'duplicate entities (the same name, or one named by the other’s alias, in one scope) folded into one',
  pruned: 'entities that no note mentions and no relation joins any more, removed',
  decayed: 'relations no note has asserted for a decay period: their weight halves each period, never below a tenth',
  boosted: 'entities searches returned in the last 30 days: weight raised above 1.0, more for more searches',
  tokensSaved: 'tokens of the whole documents the results came from, minus the tokens of the chunks returned; never below 0',
  tokensInjected: 'tokens of the chunks a search returned to the agent',
  tokensBaseline: 'tokens of the whole documents those chunks come from: what the agent would have read without the search',
  p50: 'median: half the calls were faster',
  p95: '95 of 100 calls were faster than this',
  p99: '99 of 100 calls were faster than this',
  errorRate: 'tool calls that ended in an error, of all tool calls',
  skipped: 'a file whose content had not changed since its last ingest: nothing to do',
  failed: 'a file that could not be ingested (the reason is in the runs table)',
  chunks: 'the passages a note is split into (by heading); searches return chunks',
  degree: 'how many relations an entity takes part in',
  confidence: 'how sure the extractor is of a relation, from 0 to 1',
} as const;

export type GlossaryTerm = keyof typeof GLOSSARY;
