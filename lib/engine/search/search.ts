import type { DB } from '../../store/open-writer';
import { entityId, normaliseName } from '../../store/ids';
import { ftsExpression, queryNgrams, searchTerms } from './query-terms';
import { reciprocalRankFusion } from './rrf';

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
}

export interface SearchResult {
  results: SearchHit[];
  /** Entities the query names, which seeded the graph expansion. */
  seeds: EntitySummary[];
  chunksConsidered: number;
  tokensInjected: number;
  tokensBaseline: number;
  planner: 'bm25+graph' | 'bm25' | 'graph' | 'none';
}

export interface SearchScope {
  limit: number;
  /** A user's search sees the tenant's shared notes and that user's own memories, never another's. */
  userId?: string | null;
  memoryId?: string | null;
}

const CANDIDATES = 50;
const NEIGHBOURS = 12;
const MENTIONS_PER_ENTITY = 200;
const NEIGHBOUR_FACTOR = 0.3;
const ENTITIES_PER_HIT = 10;

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

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(',');
}

/**
 * Hybrid search: BM25 over chunk text (FTS5) and a graph walk from the entities the query names
 * (their chunks, then their strongest neighbours' chunks), fused by reciprocal rank.
 */
export class GraphSearch {
  /** The fixed-text statements of the hot path, prepared once (the IN-list ones vary in length). */
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      // FTS5 ranks inside its own ORDER BY rank LIMIT (bm25 with the heading weighted 2:1, set in
      // the schema); the project filter runs on that short list, not on every match.
      bm25: db.prepare<[string, number, string], { id: string }>(
        `SELECT c.id FROM (SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) AS hits
         JOIN chunks c ON c.rowid = hits.rowid WHERE +c.project = ? ORDER BY hits.rank`,
      ),
      mentionsOf: db.prepare<[string, number], { chunk_id: string; count: number }>(
        'SELECT chunk_id, count FROM mentions WHERE entity_id = ? ORDER BY count DESC LIMIT ?',
      ),
      outgoing: db.prepare<[string, string, number], { id: string; weight: number }>(
        'SELECT to_id AS id, weight FROM relations WHERE from_id = ? AND +project = ? ORDER BY weight DESC LIMIT ?',
      ),
      incoming: db.prepare<[string, string, number], { id: string; weight: number }>(
        'SELECT from_id AS id, weight FROM relations WHERE to_id = ? AND +project = ? ORDER BY weight DESC LIMIT ?',
      ),
      hitEntities: db.prepare<[string, number], EntitySummary>(
        `SELECT e.id, e.name, e.type FROM mentions m JOIN entities e ON e.id = m.entity_id
         WHERE m.chunk_id = ? ORDER BY m.count DESC, e.name LIMIT ?`,
      ),
    };
  }

  search(query: string, scope: SearchScope): SearchResult {
    const limit = Math.max(1, Math.min(100, Math.floor(scope.limit)));
    const terms = searchTerms(query);
    const seeds = this.seedEntities(query);
    const bm25 = this.bm25Candidates(terms);
    const graph = this.graphCandidates(seeds.map((seed) => seed.id));
    const fused = reciprocalRankFusion([bm25, graph]);
    const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    // Scope is checked on small rows for every candidate; text is read only for the results.
    const scopes = this.chunkScopes(ranked.map(([id]) => id));
    const allowed = ranked.filter(([id]) => {
      const row = scopes.get(id);
      return row !== undefined && this.inScope(row, scope);
    });
    const top = allowed.slice(0, limit);
    const rows = this.chunkRows(top.map(([id]) => id));
    const results = top.flatMap(([id, score]) => {
      const row = rows.get(id);
      return row ? [this.toHit(row, score)] : [];
    });
    const docTokens = new Map<string, number>();
    for (const hit of results) docTokens.set(hit.docId, rows.get(hit.chunkId)?.doc_tokens ?? 0);
    const planner =
      bm25.length > 0 && graph.length > 0 ? 'bm25+graph' : bm25.length > 0 ? 'bm25' : graph.length > 0 ? 'graph' : 'none';
    return {
      results,
      seeds,
      chunksConsidered: allowed.length,
      tokensInjected: results.reduce((sum, hit) => sum + hit.tokens, 0),
      tokensBaseline: [...docTokens.values()].reduce((sum, tokens) => sum + tokens, 0),
      planner,
    };
  }

  private inScope(row: ChunkScope, scope: SearchScope): boolean {
    const userOk = row.user_id === null || (scope.userId != null && row.user_id === scope.userId);
    const memoryOk = row.memory_id === null || (scope.memoryId != null && row.memory_id === scope.memoryId);
    return userOk && memoryOk;
  }

  seedEntities(query: string): EntitySummary[] {
    const grams = queryNgrams(query);
    if (grams.length === 0) return [];
    const ids = new Set(grams.map((gram) => entityId(this.project, gram)));
    const norms = [...new Set(grams.map(normaliseName).filter((norm) => norm.length > 1))];
    if (norms.length > 0) {
      const aliasRows = this.db
        .prepare<unknown[], { entity_id: string }>(
          `SELECT entity_id FROM entity_aliases WHERE project = ? AND alias_norm IN (${placeholders(norms.length)})`,
        )
        .all(this.project, ...norms);
      for (const row of aliasRows) ids.add(row.entity_id);
    }
    const list = [...ids];
    return this.db
      .prepare<unknown[], EntitySummary>(
        `SELECT id, name, type FROM entities WHERE +project = ? AND id IN (${placeholders(list.length)}) ORDER BY length(name) DESC, id`,
      )
      .all(this.project, ...list);
  }

  private bm25Candidates(terms: string[]): string[] {
    const expression = ftsExpression(terms);
    if (!expression) return [];
    return this.stmt.bm25.all(expression, CANDIDATES * 4, this.project).map((row) => row.id);
  }

  private graphCandidates(seedIds: string[]): string[] {
    if (seedIds.length === 0) return [];
    const scores = new Map<string, number>();
    const { mentionsOf } = this.stmt;
    for (const id of seedIds) {
      for (const mention of mentionsOf.all(id, MENTIONS_PER_ENTITY)) {
        scores.set(mention.chunk_id, (scores.get(mention.chunk_id) ?? 0) + mention.count);
      }
    }
    const neighbours = this.strongestNeighbours(seedIds);
    const maxWeight = Math.max(1, ...neighbours.map((row) => row.weight));
    for (const neighbour of neighbours) {
      const factor = NEIGHBOUR_FACTOR * (neighbour.weight / maxWeight);
      for (const mention of mentionsOf.all(neighbour.id, MENTIONS_PER_ENTITY / 4)) {
        scores.set(mention.chunk_id, (scores.get(mention.chunk_id) ?? 0) + factor * mention.count);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, CANDIDATES * 2)
      .map(([id]) => id);
  }

  /** The seeds' strongest neighbours: each seed's top relations read from the weight index, then summed. */
  private strongestNeighbours(seedIds: string[]): Array<{ id: string; weight: number }> {
    const { outgoing, incoming } = this.stmt;
    const totals = new Map<string, number>();
    const seeds = new Set(seedIds);
    for (const seed of seedIds) {
      for (const row of [
        ...outgoing.all(seed, this.project, NEIGHBOURS * 4),
        ...incoming.all(seed, this.project, NEIGHBOURS * 4),
      ]) {
        if (!seeds.has(row.id)) totals.set(row.id, (totals.get(row.id) ?? 0) + row.weight);
      }
    }
    return [...totals.entries()]
      .map(([id, weight]) => ({ id, weight }))
      .sort((a, b) => b.weight - a.weight || (a.id < b.id ? -1 : 1))
      .slice(0, NEIGHBOURS);
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

  private toHit(row: ChunkRow, score: number): SearchHit {
    const entities = this.stmt.hitEntities.all(row.id, ENTITIES_PER_HIT);
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
