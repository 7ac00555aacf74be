import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { describe, expect, it } from 'vitest';
import { sharedEmbedder } from '../lib/engine/dense/dense-arm';
import { DENSE_MIN_SIMILARITY } from '../lib/engine/dense/dense-search';
import { encodeVector } from '../lib/engine/dense/vector-codec';
import { scopeParams } from '../lib/store/scope';
import { makeTenant, openEngine, writeFile, type Tenant } from './helpers';

// The dense arm scans its vectors in memory; the test's own SQL (sqlite-vec over graph.db) says
// which chunks are nearest, after edits, deletions and other users' memories the memory copy has
// to follow.
const TOPICS = [
  'repairing cars, brake pads, engine oil and the motor of an old vehicle',
  'baking sourdough bread with a starter, flour and water in a hot oven',
  'planting tomatoes and potatoes, watering seedlings in summer',
  'sailing a small boat across the harbour when the wind is strong',
  'training for a marathon with long runs and interval sessions',
];
const QUERIES = ['automobile maintenance', 'cooking pastry', 'vegetable garden', 'running race', 'ocean voyage by ship'];

function expectedNearest(tenant: Tenant, queryText: string, userId: string | null, limit: number): string[] {
  const db = new Database(path.join(tenant.dataDir, 'graph.db'), { readonly: true });
  sqliteVec.load(db);
  const vector = sharedEmbedder(tenant.config.cacheDir)().embed(queryText);
  if (!vector) return [];
  const rows = db
    .prepare<unknown[], { id: string }>(
      `SELECT c.id FROM chunk_vectors v JOIN chunks c ON c.rowid = v.chunk_rowid
       WHERE (c.user_id IS NULL OR c.user_id = ?)
         AND vec_distance_cosine(vec_int8(v.vector), vec_int8(?)) <= ?
       ORDER BY vec_distance_cosine(vec_int8(v.vector), vec_int8(?)), c.rowid LIMIT ?`,
    )
    .all(userId, encodeVector(vector), 1 - DENSE_MIN_SIMILARITY, encodeVector(vector), limit);
  db.close();
  return rows.map((row) => row.id);
}

describe('the dense arm’s scan in memory', () => {
  it('gives the nearest visible chunks as a scan of graph.db does, through edits, deletions and private memories', () => {
    const tenant = makeTenant('memory-scan');
    TOPICS.forEach((topic, i) => {
      for (let copy = 0; copy < 6; copy++)
        writeFile(tenant.kms, `t${i}-${copy}.md`, `# Note ${i}.${copy}\n\nNotes on ${topic}, day ${copy}.\n`);
    });
    const engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const dense = engine.dense?.search;
    if (!dense) throw new Error('the dense arm is on by default');
    const check = () => {
      let found = 0;
      for (const text of QUERIES) {
        for (const userId of [null, 'ana', 'ben']) {
          const params = scopeParams({ userId, memoryId: null });
          // A limit of 3 leaves most alike chunks out, so the order and the cut are both checked.
          expect(dense.candidates(text, params, 3), `${text} as ${userId}`).toEqual(expectedNearest(tenant, text, userId, 3));
          const nearest = expectedNearest(tenant, text, userId, 100);
          expect(dense.candidates(text, params, 100)).toEqual(nearest);
          found += nearest.length;
        }
      }
      expect(found).toBeGreaterThan(QUERIES.length * 3);
    };
    check();
    // Private memories nearer than any shared note: invisible to the others, first for their owner.
    for (let i = 0; i < 8; i++) engine.remember({ text: `My own notes on ${TOPICS[i % 5]}, entry ${i}.`, userId: 'ana' }, 'test');
    check();
    // Edited notes get new vectors; deleted ones lose theirs.
    writeFile(tenant.kms, 't0-0.md', '# Note 0.0\n\nNow about knitting wool scarves by the fire.\n');
    for (const copy of [1, 2, 3]) writeFile(tenant.kms, `t1-${copy}.md`, `# Note 1.${copy}\n\nNotes on ${TOPICS[3]}.\n`);
    for (const file of ['t2-0.md', 't2-1.md', 't3-5.md']) fs.rmSync(path.join(tenant.kms, file));
    engine.ingest(tenant.kms, { source: 'test' });
    check();
    engine.close();
  });
});
