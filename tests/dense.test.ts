import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../lib/config';
import type { Engine } from '../lib/engine/engine';
import { GRAPH_MIGRATIONS, GRAPH_SCHEMA_VERSION } from '../lib/store/graph-schema';
import { openStoreReadOnly } from '../lib/store/open-readonly';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// The dense arm, checked with the test's own SQL over graph.db: vector rows against chunk rows,
// and searches whose answers share no word with the question, so only meaning can link them.
let tenant: Tenant;
let engine: Engine | null = null;
afterEach(() => {
  engine?.close();
  engine = null;
});

const graphFile = () => path.join(tenant.dataDir, 'graph.db');
const count = (sql: string, ...params: unknown[]) => query<{ n: number }>(graphFile(), sql, ...params)[0]?.n ?? -1;
const vectorRows = () => count('SELECT COUNT(*) AS n FROM chunk_vectors');
const chunkRows = () => count('SELECT COUNT(*) AS n FROM chunks');
/** Chunks without a vector, and vectors whose chunk is gone. */
const unmatched = () =>
  count('SELECT COUNT(*) AS n FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_rowid = c.rowid)') +
  count('SELECT COUNT(*) AS n FROM chunk_vectors v WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.rowid = v.chunk_rowid)');
const vectorOf = (docPath: string, heading: string) =>
  query<{ vector: Buffer }>(
    graphFile(),
    `SELECT v.vector FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid WHERE c.source = ? AND c.heading = ?`,
    docPath,
    heading,
  )[0]?.vector;

const CARS = '# Garage notes\n\nFixing cars: replacing brake pads, changing engine oil and tuning the motor of an old vehicle.\n';
const BREAD = '# Baking\n\nHow to bake sourdough bread with a starter, flour and water in a hot oven.\n';
const GARDEN = '# Allotment\n\nPlanting tomatoes and potatoes; watering the seedlings every evening in summer.\n';
/** Shares no word with any note above: only the dense arm can find the garage note. */
const PARAPHRASE = 'automobile repair';

/** A new tenant (set as `tenant`) whose notes, path → text, a fresh engine has ingested; returns that engine. */
function ingestNotes(project: string, notes: Record<string, string>, env: Record<string, string> = {}): Engine {
  tenant = makeTenant(project, env);
  for (const [file, text] of Object.entries(notes)) writeFile(tenant.kms, file, text);
  const opened = openEngine(tenant);
  opened.ingest(tenant.kms, { source: 'test' });
  return opened;
}

function ftsMatches(expression: string): string[] {
  return query<{ source: string }>(
    graphFile(),
    'SELECT c.source FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ?',
    expression,
  ).map((row) => row.source);
}

describe('chunk vectors in graph.db', () => {
  it('come with new chunks, are kept for unchanged ones, replaced for changed ones and go with deleted ones', () => {
    tenant = makeTenant('vec');
    const cars = writeFile(tenant.kms, 'cars.md', `${CARS}\n## Tyres\n\nRotate the tyres every season.\n`);
    writeFile(tenant.kms, 'bread.md', BREAD);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(chunkRows()).toBe(3);
    expect(vectorRows()).toBe(3);
    expect(unmatched()).toBe(0);
    const tyres = vectorOf('cars.md', 'Tyres');
    const intro = vectorOf('cars.md', 'Garage notes');
    expect(tyres?.length).toBe(100);

    fs.writeFileSync(cars, `${CARS.replace('old vehicle', 'old van and a truck')}\n## Tyres\n\nRotate the tyres every season.\n`);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(vectorRows()).toBe(3);
    expect(unmatched()).toBe(0);
    expect(vectorOf('cars.md', 'Tyres')?.equals(tyres!)).toBe(true);
    expect(vectorOf('cars.md', 'Garage notes')?.equals(intro!)).toBe(false);

    fs.rmSync(cars);
    engine.ingest(tenant.kms, { source: 'test' });
    expect(chunkRows()).toBe(1);
    expect(vectorRows()).toBe(1);
    expect(unmatched()).toBe(0);
  });

  it('come and go with an agent’s prechunked document and with memories', () => {
    tenant = makeTenant('agent');
    engine = openEngine(tenant);
    const writer = { userId: null, memoryId: null, sessionId: 's1', key: null };
    engine.ingestPrechunked({ source: 'chat', docId: 'd1', chunks: [{ text: BREAD }, { text: GARDEN }] }, writer);
    expect([chunkRows(), vectorRows(), unmatched()]).toEqual([2, 2, 0]);
    engine.ingestPrechunked({ source: 'chat', docId: 'd1', chunks: [{ text: CARS }] }, writer);
    expect([chunkRows(), vectorRows(), unmatched()]).toEqual([1, 1, 0]);
    engine.remember({ text: GARDEN, userId: 'ana' }, 'test');
    expect([chunkRows(), vectorRows(), unmatched()]).toEqual([2, 2, 0]);
  });
});

describe('the dense arm in search', () => {
  it('finds a note by meaning when the query shares no word with it', () => {
    engine = ingestNotes('meaning', { 'cars.md': CARS, 'bread.md': BREAD, 'garden.md': GARDEN });
    // The full-text index matches neither word, stemmed or not.
    expect(ftsMatches('"automobile" OR "repair"')).toEqual([]);
    const result = engine.search({ query: PARAPHRASE });
    expect(result.results[0]?.source).toBe('cars.md');
    expect(result.results[0]?.why).toMatchObject({ textRank: null, graphRank: null, denseRank: 1 });
    expect(result.planner).toBe('dense');
    expect(engine.search({ query: 'pastry' }).results[0]?.source).toBe('bread.md');
  });

  it('never returns one user’s memory to another user, or to a reader without a user', () => {
    engine = ingestNotes('scoped', { 'bread.md': BREAD });
    engine.remember({ text: 'The mechanic fixes my car brakes on Tuesday.', userId: 'ana' }, 'test');
    const privateChunk = query<{ id: string }>(graphFile(), "SELECT id FROM chunks WHERE user_id = 'ana'")[0]!.id;
    expect(ftsMatches('"automobile" OR "repair"')).toEqual([]);

    const ana = engine.search({ query: PARAPHRASE, userId: 'ana', limit: 50 });
    expect(ana.results[0]?.chunkId).toBe(privateChunk);
    expect(ana.results[0]?.why.denseRank).toBe(1);
    for (const reader of [{ userId: 'ben' }, { userId: null }, { userId: 'ana', memoryId: 'other' }]) {
      // "bread" finds the shared note for everyone; the paraphrase would find the private memory first.
      const result = engine.search({ query: `${PARAPHRASE} bread`, limit: 50, ...reader });
      expect(result.results.length).toBeGreaterThan(0);
      expect(result.results.map((hit) => hit.chunkId)).not.toContain(privateChunk);
      expect(result.results.every((hit) => hit.source === 'bread.md')).toBe(true);
    }
  });

  it('finds nothing for a question about nothing in the notes: no nearest chunk is forced on it', () => {
    engine = ingestNotes('unrelated', { 'cars.md': CARS, 'bread.md': BREAD });
    const result = engine.search({ query: 'hunter2 passwords' });
    expect(result.results).toEqual([]);
    expect(result.planner).toBe('none');
  });

  it('stems the full-text index: a query word finds other forms of it', () => {
    engine = ingestNotes('stem', { 'cars.md': CARS, 'bread.md': BREAD });
    expect(ftsMatches('"fixes"')).toEqual(['cars.md']);
    expect(ftsMatches('bak*')).toEqual(['bread.md']);
    const hit = engine.search({ query: 'fixes' }).results[0];
    expect(hit?.source).toBe('cars.md');
    expect(hit?.why.textRank).toBe(1);
  });
});

describe('HYDRAMEM_DENSE', () => {
  it('off: no vectors are written and search ranks by BM25 and graph as before (k = 60, equal weights)', () => {
    const ovens = '# Ovens\n\nA hot oven bakes bread; [[Baking]] has the recipe.\n';
    engine = ingestNotes('off', { 'cars.md': CARS, 'bread.md': BREAD, 'ovens.md': ovens }, { HYDRAMEM_DENSE: 'off' });
    expect(vectorRows()).toBe(0);
    expect(engine.search({ query: PARAPHRASE }).results).toEqual([]);
    const result = engine.search({ query: 'Baking bread oven' });
    expect(result.planner).toBe('bm25+graph');
    const textOrder = query<{ id: string }>(
      graphFile(),
      `SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid
       WHERE chunks_fts MATCH '"baking" OR "bread" OR "oven"' ORDER BY rank`,
    ).map((row) => row.id);
    for (const hit of result.results) {
      expect(hit.why.denseRank).toBeNull();
      expect(hit.why.textRank).toBe(textOrder.indexOf(hit.chunkId) + 1 || null);
      const expected =
        (hit.why.textRank ? 1 / (60 + hit.why.textRank) : 0) + (hit.why.graphRank ? 1 / (60 + hit.why.graphRank) : 0);
      expect(hit.score).toBeCloseTo(expected, 5);
    }
    const scores = result.results.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('accepts on and off only, naming the variable otherwise', () => {
    const base = { HYDRAMEM_DATA_DIR: '/tmp/x' };
    expect(loadConfig(base).dense).toBe(true);
    expect(loadConfig({ ...base, HYDRAMEM_DENSE: 'OFF' }).dense).toBe(false);
    expect(() => loadConfig({ ...base, HYDRAMEM_DENSE: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HYDRAMEM_DENSE: 'maybe' })).toThrow(/HYDRAMEM_DENSE/);
  });
});

describe('graph.db version 6 -> 7', () => {
  it('rebuilds the full-text index with stemming and gives chunks stored before their vectors on open', () => {
    tenant = makeTenant('legacy');
    fs.mkdirSync(tenant.dataDir, { recursive: true });
    const old = new Database(graphFile());
    old.exec(GRAPH_MIGRATIONS.slice(0, 6).join(';\n'));
    old.pragma('user_version = 6');
    const at = '2026-01-01T00:00:00.000000+00:00';
    old.exec(`INSERT INTO documents (id, project, path, title, content_hash, created_at, updated_at)
        VALUES ('d1', 'legacy', 'cars.md', 'Garage notes', 'h', '${at}', '${at}');
      INSERT INTO chunks (id, doc_id, project, chunk_idx, heading, text, tokens, source)
        VALUES ('c1', 'd1', 'legacy', 0, 'Garage notes', 'Fixing cars and tuning the motor of an old vehicle.', 12, 'cars.md');`);
    old.close();
    expect(ftsMatches('"fixes"')).toEqual([]);

    engine = openEngine(tenant);
    expect(query(graphFile(), 'PRAGMA user_version')).toEqual([{ user_version: GRAPH_SCHEMA_VERSION }]);
    expect(GRAPH_SCHEMA_VERSION).toBe(7);
    expect(query<{ sql: string }>(graphFile(), "SELECT sql FROM sqlite_master WHERE name = 'chunks_fts'")[0]?.sql).toMatch(
      /tokenize='porter unicode61/,
    );
    expect(ftsMatches('"fixes"')).toEqual(['cars.md']);
    expect([vectorRows(), unmatched()]).toEqual([1, 0]);
    expect(engine.search({ query: PARAPHRASE }).results[0]?.why.denseRank).toBe(1);
  });
});

describe('the dashboard’s read-only open of a graph.db with vectors', () => {
  it('reads it as before, changes no byte, and sqlite-vec loads into a read-only connection too', () => {
    ingestNotes('ro', { 'cars.md': CARS, 'bread.md': BREAD }).close();
    const sha = () => createHash('sha256').update(fs.readFileSync(graphFile())).digest('hex');
    const before = sha();

    const store = openStoreReadOnly('graph', graphFile());
    try {
      expect(store.version).toBe(GRAPH_SCHEMA_VERSION);
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM chunks').get()).toEqual({ n: 2 });
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM chunk_vectors').get()).toEqual({ n: 2 });
      expect(store.db.pragma('quick_check')).toEqual([{ quick_check: 'ok' }]);
      sqliteVec.load(store.db);
      const distances = store.db
        .prepare<[], { d: number }>(
          `SELECT vec_distance_cosine(vec_int8(a.vector), vec_int8(b.vector)) AS d
           FROM chunk_vectors a JOIN chunk_vectors b ON b.chunk_rowid = a.chunk_rowid`,
        )
        .all();
      expect(distances.map((row) => Math.abs(row.d) < 1e-6)).toEqual([true, true]);
    } finally {
      store.db.close();
    }
    expect(sha()).toBe(before);
  });
});
