import type { DB } from '../store/open-writer';
import type { ReadScopeFilter } from '../store/scope';
import { chunksMentioning, contextResult, type ContextResult, type WalkedChunk } from './context-chunks';
import { resolveEntities, walkGraph, type WalkBounds } from './graph-paths';
import type { EntitySummary, GraphSearch, SearchHit } from './search/search';

/** Priming: the entities of the top chunks (at most 20) and their 5 strongest neighbours each. */
const PRIMING_BOUNDS: WalkBounds = { maxHops: 1, perEntity: 5, maxReached: 120 };
const PRIMING_STARTS = 20;
/** Expand and graph-only search: 25 relations per entity, 200 entities in all. */
const WALK_BOUNDS = { perEntity: 25, maxReached: 200 };

/** The chunks a search found, as context, with the entities they mention and those entities' neighbours, each once. */
export function primingContext(db: DB, project: string, hits: readonly SearchHit[], scope: ReadScopeFilter): ContextResult {
  const mentioned = new Map<string, EntitySummary>();
  for (const entity of hits.flatMap((hit) => hit.entities)) if (!mentioned.has(entity.id)) mentioned.set(entity.id, entity);
  const starts = [...mentioned.values()].slice(0, PRIMING_STARTS);
  const walk = walkGraph(db, project, starts, scope, PRIMING_BOUNDS);
  const chunks = hits.map((hit) => ({
    id: hit.chunkId,
    doc_id: hit.docId,
    source: hit.source,
    title: hit.title,
    heading: hit.heading,
    text: hit.text,
    score: hit.score,
  }));
  return contextResult(chunks, [...walk.reached.values()]);
}

export interface ExpandResult extends ContextResult {
  start: EntitySummary[];
  hops: number;
  truncated: boolean;
}

/** The chunks that mention the entities within `hops` of the given ones (ids, names or aliases; unknown ones refused). */
export function expandContext(
  db: DB,
  project: string,
  refs: readonly string[],
  options: { hops: number; limit: number },
  scope: ReadScopeFilter,
): ExpandResult {
  const start = resolveEntities(db, project, refs, scope);
  const walk = walkGraph(db, project, start, scope, { ...WALK_BOUNDS, maxHops: options.hops });
  const reached = [...walk.reached.values()];
  const chunks = chunksMentioning(db, project, reached, scope, options.limit);
  return { ...contextResult(chunks, reached), start, hops: options.hops, truncated: walk.truncated };
}

export interface GraphOnlyResult {
  query: string;
  /** The entities the query names, where the walk started (none: no results). */
  seeds: EntitySummary[];
  hops: number;
  entities_reached: number;
  truncated: boolean;
  results: WalkedChunk[];
}

/** The graph-walk arm alone: the entities the query names, a walk of `hops`, the chunks that mention what it reached. */
export function graphOnlySearch(
  db: DB,
  project: string,
  searcher: GraphSearch,
  request: { query: string; k: number; hops: number },
  scope: ReadScopeFilter,
): GraphOnlyResult {
  const seeds = searcher.seedEntities(request.query, scope);
  const walk = walkGraph(db, project, seeds, scope, { ...WALK_BOUNDS, maxHops: request.hops });
  const results = chunksMentioning(db, project, [...walk.reached.values()], scope, request.k);
  return {
    query: request.query,
    seeds,
    hops: request.hops,
    entities_reached: walk.reached.size,
    truncated: walk.truncated,
    results,
  };
}
