import { normaliseName } from '../../store/ids';
import { FTS_BM25_WEIGHTS } from '../../store/graph-schema';
import type { DB } from '../../store/open-writer';
import { currentRelation } from '../../store/relation-validity';
import { isVisible, scopeParams, visibleTo, type ReadScopeFilter } from '../../store/scope';
import type { DenseSearch } from '../dense/dense-search';
import { fuseArms, rankFused, THREE_ARM_FUSION, TWO_ARM_FUSION, type ArmLists, type FusionWeights } from './fusion';
import { ftsExpression, queryNgrams, searchTerms } from './query-terms';
import { TermWeights, type TermWeightLimits } from './term-weights';
import { whyOf, type GraphCandidates, type GraphReason, type HitReasons } from './why';

export interface EntitySummary {
  id: string;
  name: string;
  type: string;
}

export interface SearchHit {
  chunkId: string;
  docId: string;
  source: string;
  title: string;
  heading: string | null;
  text: string;
  tokens: number;
  score: number;
  entities: EntitySummary[];
  /** Why it came back: its ranks in the text and graph lists, the entities the graph reached it through. */
  why: HitReasons;
}

export interface SearchResult {
  results: SearchHit[];
  /** Entities the query names, which seeded the graph expansion. */
  seeds: EntitySummary[];
  chunksConsidered: number;
  tokensInjected: number;
  tokensBaseline: number;
  /** Which lists had candidates: the full-text (bm25), graph and dense ones, joined by '+'; 'none' when no list had one. */
  planner: string;
}

/** A user's search sees the tenant's shared notes and that user's own memories (one of them when named), never another's. */
export interface SearchScope extends ReadScopeFilter {
  limit: number;
}

type ScopeParams = ReturnType<typeof scopeParams>;

const CANDIDATES = 50;
const DENSE_CANDIDATES = 100;
const NEIGHBOURS = 12;
const MENTIONS_PER_ENTITY = 200;
const NEIGHBOUR_FACTOR = 0.3;
const ENTITIES_PER_HIT = 10;
/** A chunk the text index ranked: bm25's score (lower is better) and its rowid, which breaks ties. */
interface TextHit {
  id: string;
  score: number;
  rowid: number;
}

type TextParams = ScopeParams & { match: string; limit: number; project: string; minRowid: number };

/**
 * The text index's best chunks for @match above @minRowid, with `also` narrowing the matches.
 * bm25() by name rather than FTS5's `ORDER BY rank`: the same scores, but the rank sorter costs 1.7×
 * as much per match here and ignores the rowid bound. The project and scope filter runs on the
 * short list, not on every match.
 */
function textHitsSql(also: string): string {
  return `SELECT c.id, hits.score, hits.rowid FROM (SELECT rowid, bm25(chunks_fts, ${FTS_BM25_WEIGHTS}) AS score FROM chunks_fts
      WHERE chunks_fts MATCH @match AND rowid > @minRowid ${also} ORDER BY score, rowid LIMIT @limit) AS hits
    JOIN chunks c ON c.rowid = hits.rowid WHERE +c.project = @project AND ${visibleTo('c')} ORDER BY hits.score, hits.rowid`;
}

interface ChunkScope {
  id: string;
  user_id: string | null;
  memory_id: string | null;
}

interface ChunkRow extends ChunkScope {
  id: string;
  doc_id: string;
  source: string;
  heading: string | null;
  text: string;
  tokens: number;
  title: string;
  doc_tokens: number;
}

function plannerOf(lists: ArmLists): string {
  const used = [
    lists.text.length > 0 ? 'bm25' : null,
    lists.graph.ids.length > 0 ? 'graph' : null,
    lists.dense.length > 0 ? 'dense' : null,
  ].filter((name) => name !== null);
  return used.length > 0 ? used.join('+') : 'none';
}

/** The steps of a search's lists, timed one by one when asked. */
export type ArmStep = 'seeds' | 'text' | 'allTerms' | 'graph' | 'dense';
export type ArmTimer = (step: ArmStep, ms: number) => void;

function timedStep(onArm: ArmTimer | undefined): <T>(name: ArmStep, run: () => T) => T {
  if (!onArm) return (_name, run) => run();
  return (name, run) => {
    const started = performance.now();
    const value = run();
    onArm(name, performance.now() - started);
    return value;
  };
}

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(',');
}

/**
 * Hybrid search: BM25 over chunk text (FTS5), a graph walk from the entities the query names
 * (their chunks, then their strongest neighbours' chunks) and, when on, the dense arm (the chunks
 * nearest the query's meaning), fused by weighted reciprocal rank (fusion.ts).
 */
export class GraphSearch {
  /** The fixed-text statements of the hot path, prepared once (the IN-list ones vary in length). */
  private readonly stmt;
  /** How the lists are fused: with the dense arm, or as before it (HYDRAMEM_DENSE=off). */
  private readonly fusion: FusionWeights;
  private readonly termWeights: TermWeights;

  constructor(
    private readonly db: DB,
    private readonly project: string,
    /** The dense arm; null when it is off (HYDRAMEM_DENSE=off): the search is then BM25 and graph as before. */
    private readonly dense: DenseSearch | null = null,
    /** Which words and chunks the text list reads on a large store; the writer bench compares an exact ranking. */
    termLimits?: TermWeightLimits,
  ) {
    this.fusion = dense ? THREE_ARM_FUSION : TWO_ARM_FUSION;
    this.termWeights = new TermWeights(db, termLimits);
    this.stmt = {
      bm25: db.prepare<TextParams, TextHit>(textHitsSql('')),
      // The full-text index walks every match of the words, but only chunks holding a rare one are scored.
      bm25Holding: db.prepare<TextParams & { holding: string }, TextHit>(
        textHitsSql('AND +rowid IN (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH @holding)'),
      ),
      mentionsOf: db.prepare<[string, number], { chunk_id: string; count: number }>(
        'SELECT chunk_id, count FROM mentions WHERE entity_id = ? ORDER BY count DESC LIMIT ?',
      ),
      outgoing: db.prepare<ScopeParams & { id: string; project: string; limit: number }, { id: string; weight: number }>(
        `SELECT r.to_id AS id, r.weight FROM relations r WHERE r.from_id = @id AND +r.project = @project AND ${visibleTo('r')}
         AND ${currentRelation('r')} ORDER BY r.weight DESC LIMIT @limit`,
      ),
      incoming: db.prepare<ScopeParams & { id: string; project: string; limit: number }, { id: string; weight: number }>(
        `SELECT r.from_id AS id, r.weight FROM relations r WHERE r.to_id = @id AND +r.project = @project AND ${visibleTo('r')}
         AND ${currentRelation('r')} ORDER BY r.weight DESC LIMIT @limit`,
      ),
      hitEntities: db.prepare<ScopeParams & { chunk: string; limit: number }, EntitySummary>(
        `SELECT e.id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
         WHERE m.chunk_id = @chunk AND ${visibleTo('e')} ORDER BY m.count DESC, e.name LIMIT @limit`,
      ),
    };
  }

  search(query: string, scope: SearchScope): SearchResult {
    const limit = Math.max(1, Math.min(100, Math.floor(scope.limit)));
    const params = scopeParams(scope);
    const { seeds, lists } = this.arms(query, scope);
    const ranked = rankFused(fuseArms(lists, this.fusion));
    const why = whyOf(lists);
    // Scope is checked on small rows for every candidate, whichever list it came from; text is read only for the results.
    const scopes = this.chunkScopes(ranked.map(([id]) => id));
    const allowed = ranked.filter(([id]) => {
      const row = scopes.get(id);
      return row !== undefined && isVisible({ userId: row.user_id, memoryId: row.memory_id }, scope);
    });
    const top = allowed.slice(0, limit);
    const rows = this.chunkRows(top.map(([id]) => id));
    const results = top.flatMap(([id, score]) => {
      const row = rows.get(id);
      return row ? [{ ...this.toHit(row, score, params), why: why(id) }] : [];
    });
    const docTokens = new Map<string, number>();
    for (const hit of results) docTokens.set(hit.docId, rows.get(hit.chunkId)?.doc_tokens ?? 0);
    return {
      results,
      seeds,
      chunksConsidered: allowed.length,
      tokensInjected: results.reduce((sum, hit) => sum + hit.tokens, 0),
      tokensBaseline: [...docTokens.values()].reduce((sum, tokens) => sum + tokens, 0),
      planner: plannerOf(lists),
    };
  }

  /**
   * The query's ranked lists before fusion (the retrieval bench fuses them with other weights);
   * `onArm` is told how long each step took (the writer bench's per-arm figures).
   */
  arms(query: string, scope: ReadScopeFilter, onArm?: ArmTimer): { seeds: EntitySummary[]; lists: ArmLists } {
    const params = scopeParams(scope);
    const step = timedStep(onArm);
    const seeds = step('seeds', () => this.seedEntities(query, scope));
    const terms = searchTerms(query);
    return {
      seeds,
      lists: {
        text: step('text', () => this.bm25Candidates(terms, params)),
        // Not read when the fusion gives it no weight (with the dense arm off).
        allTerms: step('allTerms', () =>
          this.fusion.allTerms > 0 && terms.length > 1 ? this.bm25Candidates(terms, params, true) : [],
        ),
        graph: step('graph', () => this.graphCandidates(seeds, params)),
        dense: step('dense', () => this.dense?.candidates(query, params, DENSE_CANDIDATES) ?? []),
      },
    };
  }

  /** The entities the query names that the reader may see: by name, or by one of their aliases (of two characters or more). */
  seedEntities(query: string, scope: ReadScopeFilter): EntitySummary[] {
    const norms = [
      ...new Set(
        queryNgrams(query)
          .map(normaliseName)
          .filter((norm) => norm.length > 0),
      ),
    ];
    if (norms.length === 0) return [];
    const params: Record<string, string | null> = { project: this.project, ...scopeParams(scope) };
    const names = norms.map((norm, index) => ((params[`n${index}`] = norm), `@n${index}`));
    const aliases = norms.flatMap((norm, index) => (norm.length > 1 ? [`@n${index}`] : []));
    // Two indexed lookups joined by UNION: one query with "norm IN … OR id IN (aliases)" read every
    // entity of the project (8.5 ms at 13,000 entities, against 0.02 ms).
    const byAlias = aliases.length
      ? ` UNION SELECT e.id, e.name, e.type FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
           WHERE a.project = @project AND a.alias_norm IN (${aliases.join(',')}) AND ${visibleTo('a')}
             AND e.project = @project AND ${visibleTo('e')}`
      : '';
    return this.db
      .prepare<Record<string, string | null>, EntitySummary>(
        `SELECT id, name, type FROM (
           SELECT e.id, e.name, e.type FROM entities e
           WHERE e.project = @project AND e.norm IN (${names.join(',')}) AND ${visibleTo('e')}${byAlias}
         ) ORDER BY length(name) DESC, id`,
      )
      .all(params);
  }

  /** BM25 hits of any query term, or with `every` of all of them (the words and chunks read: term-weights.ts). */
  private bm25Candidates(terms: string[], params: ScopeParams, every = false): string[] {
    const limit = every ? CANDIDATES : CANDIDATES * 4;
    const best = new Map<string, TextHit>();
    for (const read of this.termWeights.plan(terms, every)) {
      const expression = ftsExpression(read.terms, every);
      if (!expression) continue;
      const args = { match: expression, limit, project: this.project, minRowid: read.minRowid, ...params };
      const holding = read.holding && ftsExpression(read.holding);
      const hits = holding ? this.stmt.bm25Holding.all({ ...args, holding }) : this.stmt.bm25.all(args);
      // Both reads score the same words, so a chunk in both has one score.
      for (const hit of hits) best.set(hit.id, hit);
    }
    return [...best.values()]
      .sort((a, b) => a.score - b.score || a.rowid - b.rowid)
      .slice(0, limit)
      .map((hit) => hit.id);
  }

  private graphCandidates(seeds: EntitySummary[], params: ScopeParams): GraphCandidates {
    if (seeds.length === 0) return { ids: [], reasons: new Map() };
    const scores = new Map<string, number>();
    const reasons: GraphCandidates['reasons'] = new Map();
    const add = (chunk: string, weight: number, reason: GraphReason) => {
      scores.set(chunk, (scores.get(chunk) ?? 0) + weight);
      const list = reasons.get(chunk) ?? [];
      list.push({ ...reason, weight });
      reasons.set(chunk, list);
    };
    const { mentionsOf } = this.stmt;
    for (const seed of seeds) {
      for (const mention of mentionsOf.all(seed.id, MENTIONS_PER_ENTITY)) {
        add(mention.chunk_id, mention.count, { id: seed.id, name: seed.name, via: null });
      }
    }
    const neighbours = this.strongestNeighbours(seeds, params);
    const maxWeight = Math.max(1, ...neighbours.map((row) => row.weight));
    for (const neighbour of neighbours) {
      const factor = NEIGHBOUR_FACTOR * (neighbour.weight / maxWeight);
      for (const mention of mentionsOf.all(neighbour.id, MENTIONS_PER_ENTITY / 4)) {
        add(mention.chunk_id, factor * mention.count, { id: neighbour.id, name: neighbour.name, via: neighbour.via });
      }
    }
    const ids = [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, CANDIDATES * 2)
      .map(([id]) => id);
    return { ids, reasons };
  }

  /**
   * The seeds' strongest neighbours: each seed's top relations read from the weight index, then
   * summed; each with the seed it is most strongly related to (the hop the graph took).
   */
  private strongestNeighbours(
    seeds: EntitySummary[],
    params: ScopeParams,
  ): Array<{ id: string; name: string; weight: number; via: { id: string; name: string } }> {
    const { outgoing, incoming } = this.stmt;
    const totals = new Map<string, { weight: number; via: EntitySummary; viaWeight: number }>();
    const seedIds = new Set(seeds.map((seed) => seed.id));
    for (const seed of seeds) {
      const args = { id: seed.id, project: this.project, limit: NEIGHBOURS * 4, ...params };
      for (const row of [...outgoing.all(args), ...incoming.all(args)]) {
        if (seedIds.has(row.id)) continue;
        const total = totals.get(row.id) ?? { weight: 0, via: seed, viaWeight: 0 };
        total.weight += row.weight;
        if (row.weight > total.viaWeight) Object.assign(total, { via: seed, viaWeight: row.weight });
        totals.set(row.id, total);
      }
    }
    const top = [...totals.entries()]
      .map(([id, total]) => ({ id, weight: total.weight, via: { id: total.via.id, name: total.via.name } }))
      .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1))
      .slice(0, NEIGHBOURS);
    const names = this.byIds<{ id: string; name: string }>(
      'SELECT e.id, e.name FROM entities e WHERE +e.project = ? AND e.id IN',
      top.map((n) => n.id),
    );
    return top.map((neighbour) => ({ ...neighbour, name: names.get(neighbour.id)?.name ?? neighbour.id }));
  }

  private chunkScopes(ids: string[]): Map<string, ChunkScope> {
    return this.byIds<ChunkScope>('SELECT c.id, c.user_id, c.memory_id FROM chunks c WHERE +c.project = ? AND c.id IN', ids);
  }

  private chunkRows(ids: string[]): Map<string, ChunkRow> {
    return this.byIds<ChunkRow>(
      `SELECT c.id, c.doc_id, c.source, c.heading, c.text, c.tokens, c.user_id, c.memory_id, d.title, d.tokens AS doc_tokens
       FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE +c.project = ? AND c.id IN`,
      ids,
    );
  }

  /** Runs `sql (?, ?, …)` for a list of chunk ids in this project; rows keyed by id. */
  private byIds<T extends { id: string }>(sql: string, ids: string[]): Map<string, T> {
    const rows = new Map<string, T>();
    if (ids.length === 0) return rows;
    for (const row of this.db.prepare<unknown[], T>(`${sql} (${placeholders(ids.length)})`).all(this.project, ...ids)) {
      rows.set(row.id, row);
    }
    return rows;
  }

  private toHit(row: ChunkRow, score: number, params: ScopeParams): Omit<SearchHit, 'why'> {
    const entities = this.stmt.hitEntities.all({ chunk: row.id, limit: ENTITIES_PER_HIT, ...params });
    return {
      chunkId: row.id,
      docId: row.doc_id,
      source: row.source,
      title: row.title,
      heading: row.heading,
      text: row.text,
      tokens: row.tokens,
      score: Number(score.toFixed(6)),
      entities,
    };
  }
}
