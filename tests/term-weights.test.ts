import { describe, expect, it } from 'vitest';
import { TermWeights } from '../lib/engine/search/term-weights';
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

describe('the words that weigh in a large store', () => {
  it('leaves out words held by more than half the chunks when a rarer one is asked for', () => {
    const { engine } = buildStore();
    const weights = new TermWeights(engine.graphDb, { largeStoreChunks: 20, recentRows: 10 });
    expect(weights.plan(['harbour', 'kestrel'], false)).toEqual({ terms: ['kestrel'], minRowid: 0 });
    // A list that needs every word keeps them all: the rarer word keeps it short.
    expect(weights.plan(['harbour', 'osprey'], true)).toEqual({ terms: ['harbour', 'osprey'], minRowid: 0 });
    engine.close();
  });

  it('ranks a query of weightless words among the newest chunks only', () => {
    const { engine, maxRowid } = buildStore();
    const weights = new TermWeights(engine.graphDb, { largeStoreChunks: 20, recentRows: 10 });
    expect(weights.plan(['harbour'], false)).toEqual({ terms: ['harbour'], minRowid: maxRowid - 10 });
    engine.close();
  });

  it('changes nothing in a store at or below the size limit', () => {
    const { engine } = buildStore();
    const weights = new TermWeights(engine.graphDb, { largeStoreChunks: 40, recentRows: 10 });
    expect(weights.plan(['harbour', 'kestrel'], false)).toEqual({ terms: ['harbour', 'kestrel'], minRowid: 0 });
    expect(weights.plan(['harbour'], false)).toEqual({ terms: ['harbour'], minRowid: 0 });
    engine.close();
  });

  it('counts again once the store has grown', () => {
    const { engine, tenant } = buildStore();
    let now = 0;
    const weights = new TermWeights(engine.graphDb, { largeStoreChunks: 20, recentRows: 10 }, () => now);
    // "osprey" is rare (2 of 40) ...
    expect(weights.plan(['harbour', 'osprey'], false).terms).toEqual(['osprey']);
    // ... until 40 more notes hold it: 42 of 80 chunks, while "harbour" is in 40 of 80 (half: it weighs).
    for (let i = 0; i < 40; i++) writeFile(tenant.kms, `more-${i}.md`, `# More ${i}\n\nosprey again, entry ${i}.\n`);
    engine.ingest(tenant.kms, { source: 'test' });
    now += 1;
    expect(weights.plan(['harbour', 'osprey'], false).terms).toEqual(['harbour']);
    engine.close();
  });
});
