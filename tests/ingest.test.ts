import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// Ids computed here from the Python HydraMem's documented scheme, independently of lib/store/ids.
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const entityIdOf = (project: string, name: string) =>
  md5(`${project}:${name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`).slice(0, 12);
const docIdOf = (absPath: string) => createHash('sha256').update(absPath).digest('hex').slice(0, 16);

const ALICE = `---
title: Alice Moreau
type: person
tags: [people, oncall]
aliases: [Ali]
team: "[[Platform Team]]"
---
# Alice Moreau

## Work

Alice maintains the [[Billing Service]] and reviews changes to \`invoice_builder\`. She pairs with Bruno Salgado on
the quarterly close. #finance
`;

const PLATFORM = `---
title: Platform Team
type: team
---
# Platform Team

The team owns the [[Billing Service]]. Ask [[Ali]] about invoices.
`;

let engine: Engine | null = null;
let tenant: Tenant;

afterEach(() => {
  engine?.close();
  engine = null;
});

function graph<T>(sql: string, ...params: unknown[]): T[] {
  engine?.recorder.flush();
  return query<T>(path.join(tenant.dataDir, 'graph.db'), sql, ...params);
}

function runs() {
  engine?.recorder.flush();
  return query<{
    path: string;
    status: string;
    change: string;
    reason: string | null;
    chunks_added: number;
    chunks_removed: number;
    entities_removed: number;
    relations_removed: number;
    project: string;
  }>(path.join(tenant.dataDir, 'metrics.db'), 'SELECT * FROM ingest_runs ORDER BY id');
}

describe('ingest', () => {
  it('turns notes into documents, chunks, entities and typed relations with the Python ids', () => {
    tenant = makeTenant('acme');
    const alicePath = writeFile(tenant.kms, 'people/alice.md', ALICE);
    writeFile(tenant.kms, 'teams/platform.md', PLATFORM);
    engine = openEngine(tenant);
    const summary = engine.ingest(tenant.kms, { source: 'test', recordUnchanged: true });
    expect(summary.ok).toBe(2);

    const docs = graph<{ id: string; path: string; title: string; project: string }>(
      'SELECT id, path, title, project FROM documents ORDER BY path',
    );
    expect(docs).toEqual([
      { id: docIdOf(alicePath), path: 'people/alice.md', title: 'Alice Moreau', project: 'acme' },
      expect.objectContaining({ path: 'teams/platform.md', title: 'Platform Team' }),
    ]);
    const chunks = graph<{ id: string; chunk_idx: number; doc_id: string }>('SELECT id, chunk_idx, doc_id FROM chunks');
    for (const chunk of chunks) expect(chunk.id).toBe(md5(`${chunk.doc_id}:${chunk.chunk_idx}`));

    const entities = new Map(
      graph<{ id: string; name: string; type: string }>('SELECT id, name, type FROM entities').map((e) => [e.name, e]),
    );
    expect(entities.get('Alice Moreau')).toEqual({
      id: entityIdOf('acme', 'Alice Moreau'),
      name: 'Alice Moreau',
      type: 'person',
    });
    expect(entities.get('Platform Team')?.type).toBe('team');
    expect(entities.get('Billing Service')?.id).toBe(entityIdOf('acme', 'Billing Service'));
    expect(entities.get('invoice_builder')?.type).toBe('code');
    expect(entities.get('finance')?.type).toBe('tag');
    expect(entities.get('oncall')?.type).toBe('tag');
    expect(entities.get('Bruno Salgado')?.type).toBe('person');
    expect(entities.has('Ali')).toBe(false); // an alias, resolved to Alice

    const relation = (from: string, to: string, type: string) =>
      graph<{ weight: number }>(
        'SELECT weight FROM relations WHERE from_id = ? AND to_id = ? AND type = ?',
        entityIdOf('acme', from),
        entityIdOf('acme', to),
        type,
      )[0];
    expect(relation('Alice Moreau', 'Platform Team', 'TEAM')?.weight).toBe(1);
    expect(relation('Alice Moreau', 'Billing Service', 'LINKS_TO')?.weight).toBe(1);
    expect(relation('Platform Team', 'Alice Moreau', 'LINKS_TO')?.weight).toBe(1); // [[Ali]] follows the alias
    expect(relation('Alice Moreau', 'oncall', 'TAGGED')?.weight).toBe(1);
    const [a, b] = [entityIdOf('acme', 'Billing Service'), entityIdOf('acme', 'invoice_builder')].sort();
    expect(graph('SELECT 1 FROM relations WHERE from_id = ? AND to_id = ? AND type = ?', a, b, 'CO_OCCURS')).toHaveLength(1);

    const mentions = graph<{ n: number }>(
      'SELECT COUNT(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE e.name = ?',
      'Billing Service',
    );
    expect(mentions[0]?.n).toBe(2);
    expect(runs().map((r) => [r.path, r.status, r.change, r.project])).toEqual([
      ['people/alice.md', 'ok', 'new', 'acme'],
      ['teams/platform.md', 'ok', 'new', 'acme'],
    ]);
  });

  it('skips unchanged files by content hash', () => {
    tenant = makeTenant();
    const file = writeFile(tenant.kms, 'a.md', ALICE);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test', recordUnchanged: true });
    const touched = new Date(Date.now() + 5000);
    fs.utimesSync(file, touched, touched); // same bytes, new mtime: the hash decides
    const again = engine.ingest(tenant.kms, { source: 'test', recordUnchanged: true });
    expect(again.unchanged).toBe(1);
    expect(runs().at(-1)).toMatchObject({ status: 'skipped', change: 'unchanged', reason: 'unchanged' });
  });

  it("removes a changed note's old chunks, mentions, orphaned relations and entities", () => {
    tenant = makeTenant();
    const file = writeFile(tenant.kms, 'alice.md', ALICE);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const oldChunkIds = graph<{ id: string }>('SELECT id FROM chunks').map((c) => c.id);

    fs.writeFileSync(
      file,
      '---\ntitle: Alice Moreau\ntype: person\n---\n# Alice Moreau\n\nAlice now works on [[Search Service]].\n',
    );
    const summary = engine.ingest(tenant.kms, { source: 'test' });
    expect(summary.ok).toBe(1);

    const names = graph<{ name: string }>('SELECT name FROM entities ORDER BY name').map((e) => e.name);
    expect(names).toEqual(['Alice Moreau', 'Search Service']);
    expect(graph('SELECT * FROM entity_aliases')).toEqual([]);
    expect(graph<{ type: string }>('SELECT type FROM relations ORDER BY type').map((r) => r.type)).toEqual([
      'CO_OCCURS',
      'LINKS_TO',
    ]);
    expect(
      graph<{ n: number }>('SELECT COUNT(*) AS n FROM mentions m LEFT JOIN chunks c ON c.id = m.chunk_id WHERE c.id IS NULL')[0]
        ?.n,
    ).toBe(0);
    // FTS follows the chunk table: the old text is no longer found.
    expect(graph('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?', 'invoice_builder')).toEqual([]);
    const last = runs().at(-1);
    expect(last).toMatchObject({ status: 'ok', change: 'changed', chunks_removed: oldChunkIds.length });
    expect(last?.entities_removed).toBeGreaterThanOrEqual(5);
    expect(last?.relations_removed).toBeGreaterThan(0);
  });

  it('removes everything a deleted note contributed, and keeps what another note still supports', () => {
    tenant = makeTenant();
    const alice = writeFile(tenant.kms, 'alice.md', ALICE);
    writeFile(tenant.kms, 'platform.md', PLATFORM);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const weightBefore = graph<{ weight: number }>(
      'SELECT weight FROM relations WHERE from_id = ? AND to_id = ? AND type = ?',
      entityIdOf(tenant.project, 'Platform Team'),
      entityIdOf(tenant.project, 'Billing Service'),
      'LINKS_TO',
    )[0]?.weight;
    expect(weightBefore).toBe(1);

    fs.rmSync(alice);
    const summary = engine.ingest(tenant.kms, { source: 'test' });
    expect(summary.deleted).toBe(1);
    expect(graph<{ path: string }>('SELECT path FROM documents').map((d) => d.path)).toEqual(['platform.md']);
    const names = graph<{ name: string }>('SELECT name FROM entities ORDER BY name').map((e) => e.name);
    // Alice stays: Platform Team's [[Ali]] link is evidence for her. invoice_builder and the tags go.
    expect(names).toEqual(['Alice Moreau', 'Billing Service', 'Platform Team']);
    expect(names).not.toContain('invoice_builder');
    // Alice's TEAM relation no longer holds; both ends stay, so it is kept as history, closed.
    expect(graph('SELECT 1 FROM relations WHERE type = ? AND valid_until IS NULL', 'TEAM')).toEqual([]);
    expect(graph<{ closed: number }>('SELECT valid_until IS NOT NULL AS closed FROM relations WHERE type = ?', 'TEAM')).toEqual([
      { closed: 1 },
    ]);
    expect(runs().at(-1)).toMatchObject({ path: 'alice.md', status: 'ok', change: 'deleted' });
  });

  it('keeps projects apart in one data directory', () => {
    tenant = makeTenant('alpha');
    writeFile(tenant.kms, 'alice.md', ALICE);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    engine.close();
    const other = makeTenant('beta');
    engine = openEngine({ ...other, config: { ...other.config, dataDir: tenant.dataDir } });
    expect(engine.search({ query: 'Alice Moreau billing' }).results).toEqual([]);
    expect(engine.entities({ limit: 10, offset: 0 }, { userId: null, memoryId: null }).total).toBe(0);
  });
});

describe('graph statistics snapshot', () => {
  it('is written after an ingest and agrees with the graph', () => {
    tenant = makeTenant('stats');
    writeFile(tenant.kms, 'people/alice.md', ALICE);
    writeFile(tenant.kms, 'teams/platform.md', PLATFORM);
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    engine.close();
    engine = null;
    const file = path.join(tenant.dataDir, 'graph.db');
    const [row] = query<{ stats_json: string; computed_at: string }>(
      file,
      "SELECT stats_json, computed_at FROM graph_stats WHERE project = 'stats'",
    );
    const stats = JSON.parse(row?.stats_json ?? '{}');
    const entityCount = query<{ n: number }>(file, 'SELECT COUNT(*) AS n FROM entities')[0]?.n;
    expect(stats.totals).toEqual({
      documents: 2,
      chunks: query<{ n: number }>(file, 'SELECT COUNT(*) AS n FROM chunks')[0]?.n,
      entities: entityCount,
      relations: query<{ n: number }>(file, 'SELECT COUNT(*) AS n FROM relations')[0]?.n,
    });
    expect(stats.degreeHistogram.reduce((sum: number, band: { count: number }) => sum + band.count, 0)).toBe(entityCount);
    const [hub] = query<{ name: string; degree: number }>(
      file,
      `SELECT e.name, (SELECT COUNT(*) FROM relations WHERE from_id = e.id) + (SELECT COUNT(*) FROM relations WHERE to_id = e.id) AS degree
       FROM entities e ORDER BY degree DESC, e.name LIMIT 1`,
    );
    expect(stats.topHubs[0]).toMatchObject({ name: hub?.name, degree: hub?.degree });
    // Alice Moreau (front matter) and Bruno Salgado (a first name and a surname in her note's prose).
    expect(stats.entitiesByType.find((t: { type: string }) => t.type === 'person')?.count).toBe(2);
    expect(stats.orphans.count).toBe(0);
  });
});
