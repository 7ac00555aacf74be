import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../lib/request/range';
import { parseChunkHits } from '../lib/store/chunk-hits';
import { GRAPH_MIGRATIONS } from '../lib/store/graph-schema';
import { METRICS_MIGRATIONS, METRICS_SCHEMA_VERSION } from '../lib/store/metrics-schema';
import { openStoreForWriting } from '../lib/store/open-writer';
import { dashboardReader, makeTenant, openEngine, query, tempDir, writeFile, type Tenant } from './helpers';

// Why a search returned each chunk, recorded by the real writer and checked against the test's own
// SQL over the graph (mentions, relations, the full-text index), not against the search code.
let tenant: Tenant;
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ range: '7d' }, NOW);
const graphFile = () => path.join(tenant.dataDir, 'graph.db');
const metricsFile = () => path.join(tenant.dataDir, 'metrics.db');

beforeAll(() => {
  tenant = makeTenant('w');
  writeFile(tenant.kms, 'ledger.md', '# Ledger Service\n\nThe [[Ledger Service]] reconciles payments for [[Nadia Kim]].\n');
  writeFile(tenant.kms, 'nadia.md', '# Nadia Kim\n\nNadia works with [[Clearing House]] on settlement.\n');
  writeFile(tenant.kms, 'clearing.md', '# Clearing House\n\nThe [[Clearing House]] settles invoices overnight.\n');
  writeFile(tenant.kms, 'invoices.md', '# Invoices\n\nInvoices are archived monthly; reconciles nothing.\n');
  const engine = openEngine(tenant, () => new Date('2026-11-19T10:00:00Z'));
  engine.ingest(tenant.kms, { source: 'test' });
  engine.search({ query: 'Nadia Kim reconciles' });
  engine.close();
});

afterAll(() => undefined);

describe('the writer records why each returned chunk came back', () => {
  it('one item per returned chunk, in order, with the score the results were ranked by', () => {
    const [row] = query<{ chunk_ids: string; chunk_hits: string; top_score: number }>(
      metricsFile(),
      'SELECT chunk_ids, chunk_hits, top_score FROM query_log',
    );
    const ids = JSON.parse(row!.chunk_ids) as string[];
    const hits = JSON.parse(row!.chunk_hits) as Array<{
      id: string;
      score: number;
      textRank: number | null;
      allTermsRank: number | null;
      graphRank: number | null;
      denseRank: number | null;
    }>;
    expect(ids.length).toBeGreaterThan(1);
    expect(hits.map((hit) => hit.id)).toEqual(ids);
    expect(hits[0]?.score).toBe(row!.top_score);
    for (const hit of hits) {
      // Weighted reciprocal rank fusion (k = 10; text 1, every word 1, graph 0.25, dense 0.5), computed here from the recorded ranks.
      const vote = (rank: number | null, weight: number) => (rank ? weight / (10 + rank) : 0);
      const expected = vote(hit.textRank, 1) + vote(hit.allTermsRank, 1) + vote(hit.graphRank, 0.25) + vote(hit.denseRank, 0.5);
      expect(hit.score).toBeCloseTo(expected, 5);
    }
  });

  it('a text match is a chunk the full-text index matches; a graph reason is a mention, a hop a relation', () => {
    const [row] = query<{ chunk_hits: string }>(metricsFile(), 'SELECT chunk_hits FROM query_log');
    const hits = parseChunkHits(row!.chunk_hits);
    const fts = new Set(
      query<{ id: string }>(
        graphFile(),
        `SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH 'nadia OR kim OR reconciles'`,
      ).map((chunk) => chunk.id),
    );
    const nadia = query<{ id: string }>(graphFile(), "SELECT id FROM entities WHERE name = 'Nadia Kim'")[0]!.id;
    let hops = 0;
    for (const hit of hits) {
      expect(hit.textRank !== null, hit.id).toBe(fts.has(hit.id));
      expect(hit.graph.length > 0).toBe(hit.graphRank !== null);
      for (const reason of hit.graph) {
        const mentioned = query(graphFile(), 'SELECT 1 FROM mentions WHERE chunk_id = ? AND entity_id = ?', hit.id, reason.id);
        expect(mentioned, `${hit.id} mentions ${reason.name}`).toHaveLength(1);
        if (reason.via === null) {
          expect(reason.id).toBe(nadia);
          continue;
        }
        hops += 1;
        expect(reason.via.id).toBe(nadia);
        const related = query(
          graphFile(),
          'SELECT 1 FROM relations WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)',
          reason.id,
          reason.via.id,
          reason.via.id,
          reason.id,
        );
        expect(related.length, `${reason.name} is related to ${reason.via.name}`).toBeGreaterThan(0);
      }
    }
    // The Clearing House note is reached only through Nadia Kim's relation to it.
    expect(hops).toBeGreaterThan(0);
  });

  it('the detail read gives each chunk its score and reasons, names as content', () => {
    const id = query<{ id: number }>(metricsFile(), 'SELECT id FROM query_log')[0]!.id;
    const admin = dashboardReader(tenant, range)('queryDetail', { id });
    expect(admin?.chunks.every((chunk) => chunk.hit !== null)).toBe(true);
    expect(admin?.topScore).toBe(admin?.chunks[0]?.hit?.score);
    const support = dashboardReader(tenant, range, 'support')('queryDetail', { id });
    const names = support?.chunks.flatMap((chunk) => chunk.hit?.graph.map((reason) => reason.name) ?? []) ?? [];
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(['[redacted]']));
  });
});

describe('query_log.chunk_hits migration', () => {
  it('a version 4 store gains the column; its old rows read as "not recorded"', () => {
    const dir = tempDir();
    const file = path.join(dir, 'metrics.db');
    const old = new Database(file);
    old.exec(METRICS_MIGRATIONS.slice(0, 4).join(';\n'));
    old.pragma('user_version = 4');
    old
      .prepare(
        `INSERT INTO query_log (ts, project, tool, query, result_count, top_score, chunk_ids, status)
         VALUES ('2026-11-19T09:00:00.000000+00:00', 'w', 'hydra_search_tool', 'old search', 1, 0.03, '["c1"]', 'ok')`,
      )
      .run();
    old.close();
    const graph = new Database(path.join(dir, 'graph.db'));
    graph.exec(GRAPH_MIGRATIONS.join(';\n'));
    graph.pragma(`user_version = ${GRAPH_MIGRATIONS.length}`);
    graph.close();
    const migrated = openStoreForWriting('metrics', file);
    expect(migrated.pragma('user_version', { simple: true })).toBe(METRICS_SCHEMA_VERSION);
    expect(migrated.prepare('SELECT chunk_hits FROM query_log').get()).toEqual({ chunk_hits: '[]' });
    migrated.close();
    const detail = dashboardReader({ config: { ...tenant.config, dataDir: dir }, project: 'w' }, range)('queryDetail', {
      id: 1,
    });
    expect(detail?.chunks).toEqual([expect.objectContaining({ id: 'c1', present: false, hit: null })]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
