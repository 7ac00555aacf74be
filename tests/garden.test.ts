import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../lib/config';
import { parseCron } from '../lib/cron';
import type { GardenRunRow } from '../lib/store/garden-run';
import type { Engine } from '../lib/engine/engine';
import { acquireGardenLock, GardenBusyError } from '../lib/engine/garden/garden-lock';
import { GardenRunError } from '../lib/engine/garden/night-gardener';
import { runScheduledGarden } from '../lib/engine/garden/scheduled-run';
import { nextRunAfter } from '../lib/engine/garden/schedule';
import { startGardenScheduler } from '../lib/engine/garden/scheduler';
import {
  freePort,
  makeTenant,
  openEngine,
  query,
  runCli,
  startCli,
  startTsScript,
  stopProcess,
  waitForStderr,
  writeFile,
  type Tenant,
  connectHttp,
  createApiKey,
} from './helpers';

// Ids and timestamps written here from the documented formats, independently of lib/store.
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const entityIdOf = (project: string, name: string) =>
  md5(`${project}:${name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`).slice(0, 12);
const stamp = (date: Date) => `${date.toISOString().slice(0, 23)}000+00:00`;
const STAMP_PATTERN = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;
const DAY = 86_400_000;
const NOW = new Date('2026-07-01T12:00:00.000Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY);

let engine: Engine | null = null;
let tenant: Tenant;

afterEach(() => {
  engine?.close();
  engine = null;
  vi.useRealTimers();
});

function open(clock: () => Date = () => NOW): Engine {
  engine = openEngine(tenant, clock);
  return engine;
}

function graph<T>(sql: string, ...params: unknown[]): T[] {
  return query<T>(path.join(tenant.dataDir, 'graph.db'), sql, ...params);
}

function metrics<T>(sql: string, ...params: unknown[]): T[] {
  return query<T>(path.join(tenant.dataDir, 'metrics.db'), sql, ...params);
}

/** Writes graph rows directly, as another implementation or an older ingest might have left them. */
class GraphBuilder {
  constructor(
    private readonly db: Engine['graphDb'],
    private readonly project: string,
  ) {}

  doc(id: string): string {
    const at = stamp(daysBefore(100));
    this.db
      .prepare(
        `INSERT INTO documents (id, project, path, title, content_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?)`,
      )
      .run(id, this.project, `${id}.md`, id, at, at);
    return id;
  }

  chunk(docId: string, index: number): string {
    const id = `${docId}-chunk-${index}`;
    this.db
      .prepare(`INSERT INTO chunks (id, doc_id, project, chunk_idx, text, tokens, source) VALUES (?, ?, ?, ?, 'text', 1, ?)`)
      .run(id, docId, this.project, index, `${docId}.md`);
    return id;
  }

  entity(name: string, id = entityIdOf(this.project, name)): string {
    const at = stamp(daysBefore(100));
    this.db
      .prepare('INSERT INTO entities (id, project, name, norm, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, this.project, name, name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''), 'concept', at, at);
    return id;
  }

  alias(entityId: string, alias: string, docId: string | null = null): void {
    this.db
      .prepare('INSERT INTO entity_aliases (project, alias_norm, entity_id, alias, doc_id) VALUES (?, ?, ?, ?, ?)')
      .run(this.project, alias.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''), entityId, alias, docId);
  }

  mention(chunkId: string, entityId: string, count: number): void {
    this.db
      .prepare('INSERT INTO mentions (chunk_id, entity_id, project, count) VALUES (?, ?, ?, ?)')
      .run(chunkId, entityId, this.project, count);
  }

  relation(
    from: string,
    to: string,
    type: string,
    options: { sources?: Record<string, number>; weight?: number; confidence?: number; seen?: Date; origin?: string } = {},
  ): number {
    const sources = options.sources ?? {};
    const evidence = Object.values(sources).reduce((sum, count) => sum + count, 0);
    const seen = stamp(options.seen ?? daysBefore(1));
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO relations (project, from_id, to_id, type, weight, confidence, origin_tool, created_at, last_seen_at,
             valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          this.project,
          from,
          to,
          type,
          options.weight ?? evidence,
          options.confidence ?? 1,
          options.origin ?? 'ingest',
          stamp(daysBefore(100)),
          seen,
          stamp(daysBefore(100)),
        ).lastInsertRowid,
    );
    for (const [docId, count] of Object.entries(sources)) {
      this.db.prepare('INSERT INTO relation_sources (relation_id, doc_id, count) VALUES (?, ?, ?)').run(id, docId, count);
    }
    return id;
  }
}

/** Every graph row of every table the gardener may touch, in a stable order. */
function graphDump() {
  return {
    entities: graph('SELECT * FROM entities ORDER BY id'),
    aliases: graph('SELECT * FROM entity_aliases ORDER BY project, alias_norm, entity_id'),
    mentions: graph('SELECT * FROM mentions ORDER BY chunk_id, entity_id'),
    relations: graph('SELECT * FROM relations ORDER BY id'),
    sources: graph('SELECT * FROM relation_sources ORDER BY relation_id, doc_id'),
    stats: graph('SELECT * FROM graph_stats ORDER BY project'),
  };
}

/** A garden_runs row as `SELECT *` returns it. */
type RunRow = GardenRunRow & { project: string };

const gardenRuns = () => metrics<RunRow>('SELECT * FROM garden_runs ORDER BY id');

/** A query_log row as the telemetry recorder writes it, at a chosen time. */
function logSearch(db: Engine['metricsDb'], project: string, at: Date, entityIds: unknown, status = 'ok'): void {
  db.prepare(
    `INSERT INTO query_log (ts, project, tool, query, result_count, entity_ids, status) VALUES (?, ?, 'hydra_search_tool', 'q', 1, ?, ?)`,
  ).run(stamp(at), project, typeof entityIds === 'string' ? entityIds : JSON.stringify(entityIds), status);
}

describe('merging duplicate entities', () => {
  it('folds duplicates by name and by alias into one survivor, re-pointing and summing what they had', () => {
    tenant = makeTenant('acme');
    const db = open().graphDb;
    const g = new GraphBuilder(db, 'acme');
    const d1 = g.doc('d1');
    const d2 = g.doc('d2');
    const [c1, c2] = [g.chunk(d1, 0), g.chunk(d1, 1)];
    const c3 = g.chunk(d2, 0);
    const nadiaKim = g.entity('Nadia Kim'); // canonical id for its name: the survivor
    const spelledApart = g.entity('nadia-kim', 'dup-nadia-kim'); // same normalised name, foreign id
    const nadia = g.entity('Nadia'); // Nadia Kim's alias
    g.alias(nadiaKim, 'Nadia', d1);
    const ledger = g.entity('Ledger Service');
    const treasury = g.entity('Treasury');
    g.mention(c1, nadiaKim, 2);
    g.mention(c1, spelledApart, 3);
    g.mention(c2, spelledApart, 1);
    g.mention(c3, nadia, 4);
    g.mention(c1, ledger, 1);
    g.mention(c3, treasury, 1);
    const owner = g.relation(nadiaKim, ledger, 'OWNER', { sources: { [d1]: 2 }, confidence: 0.6, seen: daysBefore(3) });
    g.relation(spelledApart, ledger, 'OWNER', { sources: { [d1]: 1, [d2]: 2 }, confidence: 0.9, seen: daysBefore(1) });
    const link = g.relation(nadia, treasury, 'LINKS_TO', { sources: { [d2]: 1 } });
    g.relation(...([spelledApart, nadia].sort() as [string, string]), 'CO_OCCURS', { sources: { [d1]: 1 } });
    const cooccurs = g.relation(...([ledger, nadia].sort() as [string, string]), 'CO_OCCURS', { sources: { [d2]: 1 } });
    // Another project's identical names are not this project's duplicates.
    const other = new GraphBuilder(db, 'beta');
    const betaDoc = other.doc('beta-doc');
    const betaChunk = other.chunk(betaDoc, 0);
    const betaNadia = other.entity('Nadia');
    const betaDuplicate = other.entity('NADIA', 'beta-dup');
    other.mention(betaChunk, betaNadia, 1);
    other.mention(betaChunk, betaDuplicate, 1);

    // Searches that returned a duplicate count for its survivor: 2 + 2 searches earn 0.2.
    for (const id of [nadiaKim, nadiaKim, spelledApart, nadia]) logSearch(engine!.metricsDb, 'acme', daysBefore(1), [id]);

    const summary = engine!.runGarden({ trigger: 'manual', command: 'test' });
    expect(summary).toMatchObject({ entitiesMerged: 2, relationsMerged: 1, selfRelationsDropped: 1, orphansPruned: 0 });
    expect(graph<{ weight: number }>('SELECT weight FROM entities WHERE id = ?', nadiaKim)[0]?.weight).toBeCloseTo(1.2, 10);

    expect(graph<{ id: string }>("SELECT id FROM entities WHERE project = 'acme' ORDER BY id").map((e) => e.id)).toEqual(
      [nadiaKim, ledger, treasury].sort(),
    );
    expect(graph('SELECT chunk_id, entity_id, count FROM mentions WHERE entity_id = ? ORDER BY chunk_id', nadiaKim)).toEqual([
      { chunk_id: c1, entity_id: nadiaKim, count: 5 },
      { chunk_id: c2, entity_id: nadiaKim, count: 1 },
      { chunk_id: c3, entity_id: nadiaKim, count: 4 },
    ]);
    expect(graph('SELECT alias, doc_id FROM entity_aliases WHERE entity_id = ? ORDER BY alias', nadiaKim)).toEqual([
      { alias: 'Nadia', doc_id: d1 },
      { alias: 'nadia-kim', doc_id: null },
    ]);
    expect(
      graph(
        "SELECT id, from_id, to_id, type, weight, confidence, last_seen_at FROM relations WHERE project = 'acme' ORDER BY id",
      ),
    ).toEqual([
      {
        id: owner,
        from_id: nadiaKim,
        to_id: ledger,
        type: 'OWNER',
        weight: 5,
        confidence: 0.9,
        last_seen_at: stamp(daysBefore(1)),
      },
      {
        id: link,
        from_id: nadiaKim,
        to_id: treasury,
        type: 'LINKS_TO',
        weight: 1,
        confidence: 1,
        last_seen_at: expect.any(String),
      },
      {
        id: cooccurs,
        from_id: [nadiaKim, ledger].sort()[0],
        to_id: [nadiaKim, ledger].sort()[1],
        type: 'CO_OCCURS',
        weight: 1,
        confidence: 1,
        last_seen_at: expect.any(String),
      },
    ]);
    expect(graph('SELECT doc_id, count FROM relation_sources WHERE relation_id = ? ORDER BY doc_id', owner)).toEqual([
      { doc_id: d1, count: 3 },
      { doc_id: d2, count: 2 },
    ]);
    expect(graph("SELECT id FROM entities WHERE project = 'beta' ORDER BY id")).toHaveLength(2);
    expect(graph("SELECT entity_id FROM mentions WHERE project = 'beta'")).toHaveLength(2);
  });

  it('leaves an alias that two unrelated entities declare alone', () => {
    tenant = makeTenant('acme');
    const g = new GraphBuilder(open().graphDb, 'acme');
    const chunk = g.chunk(g.doc('d'), 0);
    const kim = g.entity('Nadia Kim');
    const petrova = g.entity('Nadia Petrova');
    const nadia = g.entity('Nadia');
    g.alias(kim, 'Nadia');
    g.alias(petrova, 'Nadia');
    for (const id of [kim, petrova, nadia]) g.mention(chunk, id, 1);
    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).entitiesMerged).toBe(0);
    expect(graph("SELECT id FROM entities WHERE project = 'acme'")).toHaveLength(3);
  });

  it('keeps the names a re-ingest would use: a merged alias resolves to the survivor afterwards', () => {
    tenant = makeTenant('acme');
    // Platform is ingested first, so [[Ali]] becomes an entity before Alice's note declares the alias.
    const platform = writeFile(tenant.kms, 'platform.md', '# Platform Team\n\nThe team owns billing. Ask [[Ali]].\n');
    const alice = writeFile(tenant.kms, 'alice.md', '---\ntitle: Alice Moreau\naliases: [Ali]\n---\n# Alice Moreau\n\nAlice.\n');
    open().ingest(platform, { source: 'test' });
    engine!.ingest(alice, { source: 'test' });
    const ali = entityIdOf('acme', 'Ali');
    const aliceId = entityIdOf('acme', 'Alice Moreau');
    expect(graph('SELECT id FROM entities WHERE id IN (?, ?)', ali, aliceId)).toHaveLength(2);

    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).entitiesMerged).toBe(1);
    expect(graph('SELECT id FROM entities WHERE id = ?', ali)).toEqual([]);
    expect(graph('SELECT to_id FROM relations WHERE type = ?', 'LINKS_TO')).toEqual([{ to_id: aliceId }]);
    writeFile(tenant.kms, 'platform.md', '# Platform Team\n\nThe team owns billing and invoices. Ask [[Ali]].\n');
    engine!.ingest(platform, { source: 'test' });
    expect(graph('SELECT id FROM entities WHERE id = ?', ali)).toEqual([]);
    expect(graph('SELECT to_id FROM relations WHERE type = ?', 'LINKS_TO')).toEqual([{ to_id: aliceId }]);
  });
});

describe('pruning orphans', () => {
  it('deletes entities with no mention and no relation, in this project only', () => {
    tenant = makeTenant('acme');
    const db = open().graphDb;
    const g = new GraphBuilder(db, 'acme');
    const chunk = g.chunk(g.doc('d'), 0);
    const mentioned = g.entity('Mentioned');
    g.mention(chunk, mentioned, 1);
    const linkedFrom = g.entity('Linked From');
    const linkedTo = g.entity('Linked To');
    g.relation(linkedFrom, linkedTo, 'LINKS_TO', { sources: { d: 1 } });
    const orphan = g.entity('Orphan');
    const orphanWithAlias = g.entity('Orphan With Alias');
    g.alias(orphanWithAlias, 'OWA');
    const otherOrphan = new GraphBuilder(db, 'beta').entity('Orphan');

    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).orphansPruned).toBe(2);
    const left = graph<{ id: string }>('SELECT id FROM entities ORDER BY id').map((row) => row.id);
    expect(left).toEqual([mentioned, linkedFrom, linkedTo, otherOrphan].sort());
    expect(left).not.toContain(orphan);
    expect(graph('SELECT 1 FROM entity_aliases WHERE entity_id = ?', orphanWithAlias)).toEqual([]);
  });
});

describe('decaying relations not seen for a while', () => {
  it('halves the evidence weight per whole period unseen, down to a tenth, and only once per period', () => {
    tenant = makeTenant('acme', { HYDRAMEM_GARDEN_DECAY_DAYS: '10' });
    let now = NOW;
    const db = open(() => now).graphDb;
    const g = new GraphBuilder(db, 'acme');
    g.doc('d1');
    g.doc('d2');
    const [a, b, c, d, e, f] = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => g.entity(name)) as string[];
    const evidence = { d1: 3, d2: 1 }; // weight 4 undecayed
    const fresh = g.relation(a!, b!, 'R', { sources: evidence, seen: daysBefore(9) });
    const onePeriod = g.relation(a!, c!, 'R', { sources: evidence, seen: daysBefore(11) });
    const twoPeriods = g.relation(a!, d!, 'R', { sources: evidence, seen: daysBefore(25) });
    const longGone = g.relation(a!, e!, 'R', { sources: evidence, seen: daysBefore(200) });
    const imported = g.relation(a!, f!, 'R', { weight: 7, origin: 'import', seen: daysBefore(200) });
    const alreadyLow = g.relation(b!, c!, 'R', { sources: evidence, weight: 1, seen: daysBefore(11) });
    const weights = () =>
      Object.fromEntries(graph<{ id: number; weight: number }>('SELECT id, weight FROM relations').map((r) => [r.id, r.weight]));

    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).relationsDecayed).toBe(3);
    const expected = {
      [fresh]: 4,
      [onePeriod]: 2, // 4 x 0.5
      [twoPeriods]: 1, // 4 x 0.25
      [longGone]: 0.4, // 4 x 0.5^20 is below the floor of 4 x 0.1
      [imported]: 7, // no per-document evidence: left as it is
      [alreadyLow]: 1, // never raised
    };
    expect(weights()).toEqual(expected);

    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).relationsDecayed).toBe(0);
    now = new Date(NOW.getTime() + 2 * DAY); // the fresh one crosses its first period; the others do not
    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).relationsDecayed).toBe(1);
    expect(weights()).toEqual({ ...expected, [fresh]: 2 });
  });

  it('keeps the decayed share when a document goes, and gives the full weight back when a note asserts it again', () => {
    tenant = makeTenant('acme');
    let now = daysBefore(45);
    open(() => now);
    const first = writeFile(tenant.kms, 'a.md', '# Alpha Project\n\nSee [[Beta Service]].\n');
    const section = (title: string) => `## ${title}\n\n[[Alpha Project]] and [[Beta Service]] in ${title.toLowerCase()}.\n\n`;
    const second = writeFile(tenant.kms, 'b.md', `# Gamma Note\n\n${section('One')}${section('Two')}${section('Three')}`);
    engine!.ingest(tenant.kms, { source: 'test' });
    const [alpha, beta] = [entityIdOf('acme', 'Alpha Project'), entityIdOf('acme', 'Beta Service')].sort() as [string, string];
    const relation = (type: string) =>
      graph<{ id: number; weight: number }>(
        'SELECT id, weight FROM relations WHERE type = ? AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))',
        type,
        alpha,
        beta,
        beta,
        alpha,
      )[0];
    const sources = (id: number | undefined) =>
      Object.fromEntries(
        graph<{ path: string; count: number }>(
          'SELECT d.path, s.count FROM relation_sources s JOIN documents d ON d.id = s.doc_id WHERE s.relation_id = ?',
          id,
        ).map((row) => [row.path, row.count]),
      );
    // Co-occurring in each of b.md's three sections, and in a.md.
    const evidence = sources(relation('CO_OCCURS')?.id);
    expect(evidence['b.md']).toBe(3);
    const fromA = evidence['a.md'] as number;
    expect(relation('CO_OCCURS')?.weight).toBe(fromA + 3);
    expect(relation('LINKS_TO')?.weight).toBe(1);

    now = NOW; // 45 days later: one whole 30-day period
    engine!.runGarden({ trigger: 'manual', command: 'test' });
    expect(relation('CO_OCCURS')?.weight).toBe((fromA + 3) / 2);
    expect(relation('LINKS_TO')?.weight).toBe(0.5);

    // b.md goes: the relation keeps a.md's share of its decayed weight (taking b.md's count of 3 off
    // the decayed weight would leave it at or below zero).
    fs.rmSync(second);
    engine!.ingest(tenant.kms, { source: 'test' });
    expect(relation('CO_OCCURS')?.weight).toBe(fromA / 2);

    writeFile(tenant.kms, 'a.md', '# Alpha Project\n\nSee [[Beta Service]] again.\n');
    engine!.ingest(first, { source: 'test' });
    expect(relation('CO_OCCURS')?.weight).toBe(fromA);
    expect(relation('LINKS_TO')?.weight).toBe(1);
    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).relationsDecayed).toBe(0);
  });
});

describe('boosting entities that searches return', () => {
  it('raises entities.weight by 0.1 per doubling of searches in the last 30 days, and lets it lapse', () => {
    tenant = makeTenant('acme');
    let now = NOW;
    const e = open(() => now);
    const g = new GraphBuilder(e.graphDb, 'acme');
    const chunk = g.chunk(g.doc('d'), 0);
    const [often, twice, once, veryOften, old] = ['Often', 'Twice', 'Once', 'Very Often', 'Old'].map((name) => {
      const id = g.entity(name);
      g.mention(chunk, id, 1);
      return id;
    }) as [string, string, string, string, string];
    for (let i = 0; i < 5; i++) logSearch(e.metricsDb, 'acme', daysBefore(i), [often, ...(i < 2 ? [twice] : [])]);
    for (let i = 0; i < 1500; i++) logSearch(e.metricsDb, 'acme', daysBefore(1), [veryOften]);
    logSearch(e.metricsDb, 'acme', daysBefore(2), [once]);
    for (let i = 0; i < 8; i++) logSearch(e.metricsDb, 'acme', daysBefore(31), [old]); // outside the window
    for (let i = 0; i < 8; i++) logSearch(e.metricsDb, 'beta', daysBefore(1), [once]); // another project
    for (let i = 0; i < 8; i++) logSearch(e.metricsDb, 'acme', daysBefore(1), [once], 'error');
    logSearch(e.metricsDb, 'acme', daysBefore(1), 'not json');
    const weight = (id: string) => graph<{ weight: number }>('SELECT weight FROM entities WHERE id = ?', id)[0]?.weight;

    expect(e.runGarden({ trigger: 'manual', command: 'test' }).entitiesBoosted).toBe(3);
    expect(weight(often)).toBeCloseTo(1.2, 10); // 5 searches: floor(log2 5) = 2 steps of 0.1
    expect(weight(twice)).toBeCloseTo(1.1, 10); // 2 searches: 1 step
    expect(weight(veryOften)).toBe(2); // 1,500 searches: 10 steps, the cap
    expect(weight(once)).toBe(1);
    expect(weight(old)).toBe(1);

    expect(e.runGarden({ trigger: 'manual', command: 'test' }).entitiesBoosted).toBe(0);
    now = new Date(NOW.getTime() + 40 * DAY); // every search is now older than the window
    const lapsed = e.runGarden({ trigger: 'manual', command: 'test' });
    expect(lapsed).toMatchObject({ entitiesBoosted: 0, boostsLowered: 3 });
    expect([often, twice, veryOften].map(weight)).toEqual([1, 1, 1]);
  });

  it('counts the searches the engine itself logged', () => {
    tenant = makeTenant('acme');
    writeFile(tenant.kms, 'ledger.md', '# Ledger Service\n\nThe [[Ledger Service]] reconciles payments with [[Treasury]].\n');
    const e = open(() => new Date());
    e.ingest(tenant.kms, { source: 'test' });
    for (let i = 0; i < 4; i++) e.search({ query: 'ledger reconciles payments' });
    const summary = e.runGarden({ trigger: 'manual', command: 'test' });
    expect(summary.entitiesBoosted).toBeGreaterThan(0);
    const ledger = graph<{ weight: number }>('SELECT weight FROM entities WHERE id = ?', entityIdOf('acme', 'Ledger Service'));
    expect(ledger[0]?.weight).toBeCloseTo(1.2, 10);
  });
});

describe('a whole run', () => {
  function realisticTenant(): void {
    tenant = makeTenant('acme');
    let now = daysBefore(60);
    const e = open(() => now);
    const platform = writeFile(
      tenant.kms,
      'platform.md',
      '# Platform Team\n\nThe team owns the [[Billing Service]]. Ask [[Ali]].\n',
    );
    writeFile(
      tenant.kms,
      'alice.md',
      '---\ntitle: Alice Moreau\ntype: person\naliases: [Ali]\n---\n# Alice Moreau\n\nAlice maintains the [[Billing Service]] with Bruno Salgado.\n',
    );
    e.ingest(platform, { source: 'test' });
    e.ingest(tenant.kms, { source: 'test' });
    now = daysBefore(2);
    writeFile(tenant.kms, 'billing.md', '# Billing Service\n\nBilling talks to the [[Ledger Service]].\n');
    e.ingest(tenant.kms, { source: 'test' });
    for (let i = 0; i < 3; i++) e.search({ query: 'billing service', at: daysBefore(1) });
    new GraphBuilder(e.graphDb, 'acme').entity('Forgotten Thing');
    now = NOW;
  }

  it('is idempotent: a second run changes nothing and counts nothing', () => {
    realisticTenant();
    const first = engine!.runGarden({ trigger: 'manual', command: 'test' });
    expect(first.entitiesMerged).toBe(1);
    expect(first.orphansPruned).toBe(1);
    expect(first.relationsDecayed).toBeGreaterThan(0);
    expect(first.entitiesBoosted).toBeGreaterThan(0);
    const after = graphDump();
    const second = engine!.runGarden({ trigger: 'manual', command: 'test' });
    expect(second).toMatchObject({
      entitiesMerged: 0,
      orphansPruned: 0,
      relationsDecayed: 0,
      entitiesBoosted: 0,
      relationsMerged: 0,
      selfRelationsDropped: 0,
      boostsLowered: 0,
    });
    expect(graphDump()).toEqual(after);
  });

  it('records each run in garden_runs and refreshes the statistics snapshot with connected components', () => {
    realisticTenant();
    const summary = engine!.runGarden({ trigger: 'manual', command: 'test' });
    const [row] = gardenRuns();
    expect(row).toMatchObject({
      id: summary.runId,
      project: 'acme',
      status: 'ok',
      trigger: 'manual',
      pid: process.pid,
      entities_merged: summary.entitiesMerged,
      orphans_pruned: summary.orphansPruned,
      relations_decayed: summary.relationsDecayed,
      entities_boosted: summary.entitiesBoosted,
      error: null,
    });
    expect(row?.started_at).toBe(stamp(NOW));
    expect(row?.finished_at).toMatch(STAMP_PATTERN);
    expect(row?.duration_ms).toBeGreaterThan(0);

    const [snapshot] = graph<{ computed_at: string; stats_json: string }>("SELECT * FROM graph_stats WHERE project = 'acme'");
    expect(snapshot?.computed_at).toBe(stamp(NOW));
    const stats = JSON.parse(snapshot?.stats_json ?? '{}');
    // Components counted here with a plain graph search over the stored rows.
    const ids = graph<{ id: string }>("SELECT id FROM entities WHERE project = 'acme'").map((r) => r.id);
    const edges = graph<{ from_id: string; to_id: string }>("SELECT from_id, to_id FROM relations WHERE project = 'acme'");
    const seen = new Set<string>();
    const sizes: number[] = [];
    for (const start of ids) {
      if (seen.has(start)) continue;
      const stack = [start];
      seen.add(start);
      let size = 0;
      while (stack.length > 0) {
        const node = stack.pop() as string;
        size += 1;
        for (const edge of edges) {
          const next = edge.from_id === node ? edge.to_id : edge.to_id === node ? edge.from_id : null;
          if (next && !seen.has(next)) {
            seen.add(next);
            stack.push(next);
          }
        }
      }
      sizes.push(size);
    }
    expect(stats.connectedComponents).toEqual({ count: sizes.length, largest: Math.max(...sizes) });
    expect(summary.connectedComponents).toEqual(stats.connectedComponents);
    expect(stats.totals.entities).toBe(ids.length);
  });

  it('changes nothing in the graph when a step fails, and records the failure', () => {
    realisticTenant();
    const before = graphDump();
    // Decay comes after merge and prune: their changes must be rolled back with it.
    engine!.graphDb.exec(`CREATE TRIGGER refuse_decay BEFORE UPDATE OF weight ON relations WHEN new.weight < old.weight
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    expect(() => engine!.runGarden({ trigger: 'manual', command: 'test' })).toThrow(GardenRunError);
    engine!.graphDb.exec('DROP TRIGGER refuse_decay');
    expect(graphDump()).toEqual(before);
    expect(gardenRuns()).toMatchObject([{ status: 'failed', error: 'disk on fire', entities_merged: 0 }]);
    expect(gardenRuns()[0]?.finished_at).toMatch(STAMP_PATTERN);
    expect(fs.existsSync(path.join(tenant.dataDir, 'garden.lock'))).toBe(false);
    expect(engine!.runGarden({ trigger: 'manual', command: 'test' }).entitiesMerged).toBe(1);
  });
});

describe('one run at a time', () => {
  it('refuses a run while another holds the garden lock, and a scheduled run just skips', () => {
    tenant = makeTenant('acme');
    const e = open();
    const held = acquireGardenLock(tenant.dataDir, 'hydramem garden');
    try {
      expect(() => e.runGarden({ trigger: 'manual', command: 'test' })).toThrow(GardenBusyError);
      expect(() => e.runGarden({ trigger: 'manual', command: 'test' })).toThrow(
        `A Night Gardener run is already in progress in ${tenant.dataDir}: pid ${process.pid} (hydramem garden)`,
      );
      const lines: string[] = [];
      expect(runScheduledGarden(e, (line) => lines.push(line))).toBe('skipped');
      expect(lines).toEqual([expect.stringMatching(/^scheduled Night Gardener run skipped: A Night Gardener run is already/)]);
      expect(gardenRuns()).toEqual([]);
    } finally {
      held.release();
    }
    const lines: string[] = [];
    expect(runScheduledGarden(e, (line) => lines.push(line))).toBe('ok');
    expect(lines[0]).toMatch(/^Night Gardener: garden run 1 \(schedule\) ok in/);
    expect(gardenRuns()).toMatchObject([{ trigger: 'schedule', status: 'ok' }]);
  });

  it('takes over a garden lock left by a dead process', () => {
    tenant = makeTenant('acme');
    const e = open();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(
      path.join(tenant.dataDir, 'garden.lock'),
      JSON.stringify({
        pid: Number(gone.stdout),
        pidStart: '1',
        host: os.hostname(),
        command: 'hydramem garden',
        startedAt: 'x',
      }),
    );
    expect(e.runGarden({ trigger: 'manual', command: 'test' }).runId).toBe(1);
    expect(fs.existsSync(path.join(tenant.dataDir, 'garden.lock'))).toBe(false);
  });

  it('refuses `hydramem garden` during a run; a run killed mid-way changes nothing and blocks nothing', async () => {
    tenant = makeTenant('acme');
    const g = new GraphBuilder(open().graphDb, 'acme');
    const chunk = g.chunk(g.doc('d'), 0);
    g.mention(chunk, g.entity('Nadia Kim'), 1);
    g.mention(chunk, g.entity('NADIA KIM', 'dup'), 1);
    engine!.close();
    engine = null;
    const before = graphDump();

    const child = startTsScript(
      `import { loadConfig } from '@root/lib/config';
       import { Engine } from '@root/lib/engine/engine';
       const engine = Engine.open(loadConfig(process.env), { command: 'garden test child' });
       engine.runGarden({ trigger: 'manual', command: 'garden test child', onStep: (step) => {
         if (step !== 'prune') return;
         process.stderr.write('paused after prune\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
       } });`,
      tenant.env,
    );
    try {
      await waitForStderr(child, /paused after prune/);
      expect(gardenRuns()).toMatchObject([{ status: 'running', pid: child.pid }]);
      const refused = runCli(['garden'], tenant.env);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`A Night Gardener run is already in progress in ${tenant.dataDir}: pid ${child.pid}`);
    } finally {
      await stopProcess(child, 'SIGKILL');
    }
    expect(fs.existsSync(path.join(tenant.dataDir, 'garden.lock'))).toBe(true); // left behind by the kill
    expect(graphDump()).toEqual(before); // the merge it had made was never committed

    const next = runCli(['garden', '--json'], tenant.env);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ status: 'ok', entitiesMerged: 1, interruptedRunsClosed: 1 });
    expect(gardenRuns()).toMatchObject([
      { status: 'failed', error: 'interrupted', pid: child.pid },
      { status: 'ok', trigger: 'manual', entities_merged: 1 },
    ]);
    expect(gardenRuns()[0]?.finished_at).toMatch(STAMP_PATTERN);
    expect(fs.existsSync(path.join(tenant.dataDir, 'garden.lock'))).toBe(false);
    expect(fs.existsSync(path.join(tenant.dataDir, 'writer.lock'))).toBe(false);
  });
});

describe('`hydramem garden`', () => {
  it('runs once without a writer, prints one line or JSON, and shows the status', () => {
    tenant = makeTenant('acme');
    writeFile(tenant.kms, 'a.md', '# Alpha\n\nSee [[Beta]].\n');
    const ingest = runCli(['ingest', tenant.kms], tenant.env);
    expect(ingest.code).toBe(0);
    const plain = runCli(['garden'], tenant.env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(
      /^garden run 1 \(manual\) ok in \d+\.\d\d s: 0 entities merged, 0 orphans pruned, 0 relations decayed, 0 entities boosted; 1 connected component \(largest 2\)\n$/,
    );
    const json = runCli(['garden', '--json'], tenant.env);
    expect(JSON.parse(json.stdout)).toMatchObject({ runId: 2, trigger: 'manual', status: 'ok', project: 'acme' });
    const status = runCli(['garden', '--status', '--json'], { ...tenant.env, HYDRAMEM_GARDEN_SCHEDULE: '30 4 * * 1-5' });
    expect(JSON.parse(status.stdout)).toMatchObject({
      project: 'acme',
      schedule: '30 4 * * 1-5',
      running: null,
      lastRun: { id: 2, status: 'ok' },
      totals: { runs: 2, ok: 2, failed: 0 },
    });
    expect(runCli(['garden', '--status'], tenant.env).stdout).toMatch(
      /^acme: last run 2 \(manual\) ok at .*; 2 run\(s\) in all; schedule "0 3 \* \* \*", next /,
    );
  });

  it('refuses a bad schedule with exit code 2, naming the variable', () => {
    tenant = makeTenant('acme');
    const result = runCli(['garden'], { ...tenant.env, HYDRAMEM_GARDEN_SCHEDULE: '61 * * * *' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hydramem: HYDRAMEM_GARDEN_SCHEDULE="61 \* \* \* \*" is invalid: expected a cron expression/);
  });

  it('goes through a writer serving HTTP, which also answers get_garden_status_tool', async () => {
    tenant = makeTenant('acme');
    writeFile(tenant.kms, 'a.md', '# Alpha\n\nSee [[Beta]].\n');
    const port = await freePort();
    const writer = startCli(['serve'], { ...tenant.env, HYDRAMEM_TRANSPORT: 'http', MCP_PORT: String(port) });
    try {
      // Logged once the MCP endpoint listens.
      await waitForStderr(writer, /Night Gardener on "0 3 \* \* \*" \(server local time\), next run \d{4}-\d\d-\d\d 03:00/);
      const result = runCli(['garden', '--json'], tenant.env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/asking it at http:\/\/127\.0\.0\.1/);
      expect(JSON.parse(result.stdout)).toMatchObject({ runId: 1, trigger: 'manual', status: 'ok' });

      const client = await connectHttp(port, createApiKey(tenant).key);
      const status = await client.callTool({ name: 'get_garden_status_tool', arguments: {} });
      expect(status.structuredContent).toMatchObject({ project: 'acme', lastRun: { id: 1, status: 'ok' }, running: null });
      await client.close();
    } finally {
      await stopProcess(writer);
    }
    expect(gardenRuns()).toMatchObject([{ trigger: 'manual', status: 'ok', pid: writer.pid }]);
    expect(metrics('SELECT tool_name FROM events')).toEqual([{ tool_name: 'run_night_gardener' }]);
  });
});

describe('the schedule', () => {
  it('reads HYDRAMEM_GARDEN_SCHEDULE: nightly by default, off, or a bad value refused', () => {
    const base = { HYDRAMEM_DATA_DIR: '/tmp/x' };
    expect(loadConfig(base).gardenSchedule?.expression).toBe('0 3 * * *');
    expect(loadConfig(base).gardenDecayDays).toBe(30);
    expect(loadConfig({ ...base, HYDRAMEM_GARDEN_SCHEDULE: 'OFF' }).gardenSchedule).toBeNull();
    for (const bad of [
      '0 3 * *',
      '60 3 * * *',
      '0 24 * * *',
      '0 3 0 * *',
      '0 3 * 13 *',
      '0 3 * * 8',
      '0 3 31 2 *',
      '*/0 * * * *',
      '5-1 * * * *',
      'nightly',
    ]) {
      expect(() => loadConfig({ ...base, HYDRAMEM_GARDEN_SCHEDULE: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ ...base, HYDRAMEM_GARDEN_DECAY_DAYS: '0' })).toThrow(/HYDRAMEM_GARDEN_DECAY_DAYS/);
  });

  it('parses lists, ranges, steps, names and shorthands', () => {
    expect(parseCron('*/20 1-3,22 * * *')).toMatchObject({ minutes: [0, 20, 40], hours: [1, 2, 3, 22] });
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
    expect(parseCron('0 0 1-10/3 jan-mar,DEC *')).toMatchObject({ daysOfMonth: [1, 4, 7, 10], months: [1, 2, 3, 12] });
    expect(parseCron('0 0 * * fri-sat,7')).toMatchObject({ daysOfWeek: [0, 5, 6], eitherDay: false });
    expect(parseCron('0 0 13 * 5').eitherDay).toBe(true);
    expect(parseCron('@weekly')).toMatchObject({ minutes: [0], hours: [0], daysOfWeek: [0] });
    expect(parseCron('  0   3 * *  * ').expression).toBe('0 3 * * *');
  });

  it('finds the next due time in local time, to the minute, strictly after the given one', () => {
    const previousTz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      const nightly = parseCron('0 3 * * *');
      expect(nextRunAfter(nightly, new Date('2026-07-01T00:59:59Z'))?.toISOString()).toBe('2026-07-01T01:00:00.000Z');
      expect(nextRunAfter(nightly, new Date('2026-07-01T01:00:00Z'))?.toISOString()).toBe('2026-07-02T01:00:00.000Z');
      // Friday the 13th style: either day field matches when both are restricted.
      const either = parseCron('0 12 13 * 5');
      expect(nextRunAfter(either, new Date('2026-07-01T00:00:00Z'))?.toISOString()).toBe('2026-07-03T10:00:00.000Z');
      expect(nextRunAfter(parseCron('0 0 29 2 *'), new Date('2026-03-01T00:00:00Z'))?.toISOString()).toBe(
        '2028-02-28T23:00:00.000Z',
      );
      // Clocks go forward at 02:00 on 29 March 2026: 02:30 does not exist and runs an hour later.
      const halfPastTwo = parseCron('30 2 * * *');
      expect(nextRunAfter(halfPastTwo, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      // Clocks go back at 03:00 on 25 October 2026: 02:30 happens twice and runs once.
      const first = nextRunAfter(halfPastTwo, new Date('2026-10-24T12:00:00Z'));
      expect(first?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
      expect(nextRunAfter(halfPastTwo, first as Date)?.toISOString()).toBe('2026-10-26T01:30:00.000Z');
    } finally {
      if (previousTz === undefined) delete process.env.TZ;
      else process.env.TZ = previousTz;
    }
  });

  it('calls the run at each due time, also months ahead, until stopped', () => {
    vi.useFakeTimers({ now: new Date(2026, 6, 1, 10, 7) });
    const times: string[] = [];
    const quarterly = startGardenScheduler(parseCron('*/15 * * * *'), () => times.push(new Date().toTimeString().slice(0, 5)));
    expect(quarterly.nextRunAt).toEqual(new Date(2026, 6, 1, 10, 15));
    vi.advanceTimersByTime(60 * 60_000);
    expect(times).toEqual(['10:15', '10:30', '10:45', '11:00']);
    quarterly.stop();
    vi.advanceTimersByTime(60 * 60_000);
    expect(times).toHaveLength(4);

    const yearly: Date[] = [];
    const newYear = startGardenScheduler(parseCron('0 3 1 1 *'), () => yearly.push(new Date()));
    expect(newYear.nextRunAt).toEqual(new Date(2027, 0, 1, 3, 0));
    vi.advanceTimersByTime(200 * DAY); // longer than one timer can wait
    expect(yearly).toEqual([new Date(2027, 0, 1, 3, 0)]);
    expect(newYear.nextRunAt).toEqual(new Date(2028, 0, 1, 3, 0));
    newYear.stop();
  });
});
