import { describe, expect, it } from 'vitest';
import { GraphSearch } from '../lib/engine/search/search';
import { TermWeights } from '../lib/engine/search/term-weights';
import { FTS_BM25_WEIGHTS } from '../lib/store/graph-schema';
import { makeTenant, openEngine, writeFile } from './helpers';

// 40 notes, one chunk each: "harbour" in every note (weightless: in more than half the chunks),
// "kestrel" in every fourth, "osprey" in notes 0 and 1 only.
function buildStore() {
  const tenant = makeTenant('weights', { HYDRAMEM_DENSE: 'off' });
  for (let i = 0; i < 40; i++) {
    const words = ['harbour log entry', i % 4 === 0 ? 'kestrel sighted' : 'calm water', i < 2 ? 'osprey nest' : 'no birds'];
    writeFile(tenant.kms, `note-${String(i).padStart(2, '0')}.md`, `# Note ${i}\n\n${words.join(', ')} on day ${i}.\n`);
  }
  const engine = openEngine(tenant);
  engine.ingest(tenant.kms, { source: 'test' });
  const maxRowid = (engine.graphDb.prepare('SELECT MAX(rowid) AS n FROM chunks').get() as { n: number }).n;
  return { engine, maxRowid, tenant };
}

const SMALL_LIMITS = { largeStoreChunks: 20, recentRows: 10, scoredRows: 1000 };

describe('the words that weigh in a large store', () => {
  it('leaves out words held by more than half the chunks when a rarer one is asked for', () => {
    const { engine } = buildStore();
    const weights = new TermWeights(engine.graphDb, SMALL_LIMITS);
    expect(weights.plan(['harbour', 'kestrel'], false)).toEqual([{ terms: ['kestrel'], minRowid: 0 }]);
    // A list that needs every word keeps them all: the rarer word keeps it short.
    expect(weights.plan(['harbour', 'osprey'], true)).toEqual([{ terms: ['harbour', 'osprey'], minRowid: 0 }]);
    engine.close();
  });

  it('ranks a query of weightless words among the newest chunks only', () => {
    const { engine, maxRowid } = buildStore();
    const weights = new TermWeights(engine.graphDb, SMALL_LIMITS);
    expect(weights.plan(['harbour'], false)).toEqual([{ terms: ['harbour'], minRowid: maxRowid - 10 }]);
    engine.close();
  });

  it('changes nothing in a store at or below the size limit', () => {
    const { engine } = buildStore();
    const weights = new TermWeights(engine.graphDb, { ...SMALL_LIMITS, largeStoreChunks: 40 });
    expect(weights.plan(['harbour', 'kestrel'], false)).toEqual([{ terms: ['harbour', 'kestrel'], minRowid: 0 }]);
    expect(weights.plan(['harbour'], false)).toEqual([{ terms: ['harbour'], minRowid: 0 }]);
    engine.close();
  });

  it('counts again once the store has grown', () => {
    const { engine, tenant } = buildStore();
    let now = 0;
    const weights = new TermWeights(engine.graphDb, SMALL_LIMITS, () => now);
    // "osprey" is rare (2 of 40) ...
    expect(weights.plan(['harbour', 'osprey'], false)).toEqual([{ terms: ['osprey'], minRowid: 0 }]);
    // ... until 40 more notes hold it: 42 of 80 chunks, while "harbour" is in 40 of 80 (half: it weighs).
    for (let i = 0; i < 40; i++) writeFile(tenant.kms, `more-${i}.md`, `# More ${i}\n\nosprey again, entry ${i}.\n`);
    engine.ingest(tenant.kms, { source: 'test' });
    now += 1;
    expect(weights.plan(['harbour', 'osprey'], false)).toEqual([{ terms: ['harbour'], minRowid: 0 }]);
    engine.close();
  });
});

// 60 notes, one chunk each: "harbour" in all, "kestrel" in every third (20), "osprey" in the first four.
function buildBirdStore() {
  const tenant = makeTenant('weights-budget', { HYDRAMEM_DENSE: 'off' });
  for (let i = 0; i < 60; i++) {
    const kestrels = i % 3 === 0 ? ` kestrel${' kestrel'.repeat(i % 4)}` : '';
    const osprey = i < 4 ? ' osprey' : '';
    writeFile(tenant.kms, `note-${String(i).padStart(2, '0')}.md`, `# Note ${i}\n\nharbour log${kestrels}${osprey}, day ${i}.\n`);
  }
  const engine = openEngine(tenant);
  engine.ingest(tenant.kms, { source: 'test' });
  const maxRowid = (engine.graphDb.prepare('SELECT MAX(rowid) AS n FROM chunks').get() as { n: number }).n;
  return { engine, maxRowid };
}

const BUDGET_LIMITS = { largeStoreChunks: 20, recentRows: 15, scoredRows: 5 };

describe('the chunks a large store ranks', () => {
  it('ranks the holders of the rare words over the whole store and every word over the newest chunks', () => {
    const { engine, maxRowid } = buildBirdStore();
    const weights = new TermWeights(engine.graphDb, BUDGET_LIMITS);
    // "osprey" (4 chunks) fits the budget of 5; "kestrel" (20) would not.
    expect(weights.plan(['kestrel', 'osprey'], false)).toEqual([
      { terms: ['kestrel', 'osprey'], holding: ['osprey'], minRowid: 0 },
      { terms: ['kestrel', 'osprey'], minRowid: maxRowid - 15 },
    ]);
    // No word fits: the newest chunks only.
    expect(weights.plan(['kestrel'], false)).toEqual([{ terms: ['kestrel'], minRowid: maxRowid - 15 }]);
    // Within the budget the one read is exact.
    expect(weights.plan(['osprey'], false)).toEqual([{ terms: ['osprey'], minRowid: 0 }]);
    engine.close();
  });

  it('ranks the chunks holding every word over the whole store only when the rarest word fits the budget', () => {
    const { engine, maxRowid } = buildBirdStore();
    const weights = new TermWeights(engine.graphDb, BUDGET_LIMITS);
    // "osprey" is in 4 chunks: at most 4 hold both words, ranked over the whole store.
    expect(weights.plan(['kestrel', 'osprey'], true)).toEqual([{ terms: ['kestrel', 'osprey'], minRowid: 0 }]);
    // "kestrel" (20) and "harbour" (60) together: up to 20 chunks hold both, over the budget of 5.
    expect(weights.plan(['harbour', 'kestrel'], true)).toEqual([{ terms: ['harbour', 'kestrel'], minRowid: maxRowid - 15 }]);
    engine.close();
  });

  it('gives the text list in the exact bm25 order, without the older chunks that hold only common words', () => {
    const { engine, maxRowid } = buildBirdStore();
    const db = engine.graphDb;
    const ranked = db
      .prepare(
        `SELECT c.id, f.rowid, bm25(chunks_fts, ${FTS_BM25_WEIGHTS}) AS score FROM chunks_fts f JOIN chunks c ON c.rowid = f.rowid
         WHERE chunks_fts MATCH '"kestrel" OR "osprey"' ORDER BY score, f.rowid`,
      )
      .all() as Array<{ id: string; rowid: number }>;
    const ospreys = new Set(
      (db.prepare(`SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'osprey'`).all() as Array<{ rowid: number }>).map(
        (row) => row.rowid,
      ),
    );
    const expected = ranked.filter((row) => ospreys.has(row.rowid) || row.rowid > maxRowid - 15).map((row) => row.id);
    const left = ranked.filter((row) => !expected.includes(row.id));
    expect(ospreys.size).toBe(4);
    expect(left.length).toBeGreaterThan(0);

    const search = new GraphSearch(db, engine.config.project, null, BUDGET_LIMITS);
    expect(search.arms('kestrel osprey', { userId: null, memoryId: null }).lists.text).toEqual(expected);
    const exact = new GraphSearch(db, engine.config.project, null, { ...BUDGET_LIMITS, largeStoreChunks: 1000 });
    expect(exact.arms('kestrel osprey', { userId: null, memoryId: null }).lists.text).toEqual(ranked.map((row) => row.id));
    engine.close();
  });
});
