import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import type { RelationWriter } from '../lib/engine/relations/manual-relations';
import { GRAPH_MIGRATIONS, GRAPH_SCHEMA_VERSION } from '../lib/store/graph-schema';
import type { ReadScopeFilter } from '../lib/store/scope';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// Ids and timestamps as the Python HydraMem documents them, computed here, not by lib/store.
const entityIdOf = (project: string, name: string) =>
  createHash('md5')
    .update(`${project}:${name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`)
    .digest('hex')
    .slice(0, 12);
const stamp = (date: Date) => `${date.toISOString().slice(0, 23)}000+00:00`;

const LEDGER_OWNED =
  '---\ntitle: Ledger Service\ntype: service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nIt reconciles payments.\n';
const LEDGER_UNOWNED = '---\ntitle: Ledger Service\ntype: service\n---\n# Ledger Service\n\nIt reconciles payments.\n';
const NADIA = '---\ntitle: Nadia Kim\ntype: person\n---\n# Nadia Kim\n\nNadia works in finance.\n';

const SHARED_READER: ReadScopeFilter = { userId: null, memoryId: null };
const SHARED_WRITER: RelationWriter = { write: { userId: null, memoryId: null }, read: SHARED_READER, sessionId: 'session-1' };
const writerFor = (userId: string): RelationWriter => ({
  write: { userId, memoryId: 'default' },
  read: { userId, memoryId: null },
  sessionId: `session-${userId}`,
});

let engine: Engine | null = null;
let tenant: Tenant;
let now = new Date('2026-03-01T09:00:00.000Z');
const clock = () => new Date(now.getTime());
const advance = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
  return clock();
};

afterEach(() => {
  engine?.close();
  engine = null;
});

function open(): Engine {
  tenant = makeTenant('history');
  writeFile(tenant.kms, 'nadia.md', NADIA);
  engine = openEngine(tenant, clock);
  return engine;
}

function graph<T>(sql: string, ...params: unknown[]): T[] {
  return query<T>(path.join(tenant.dataDir, 'graph.db'), sql, ...params);
}

/** The names of the entities over one relation type from Ledger Service, as get_entity_neighbors_tool walks it. */
function neighboursOver(e: Engine, type: string, asOf: Date | null = null, scope = SHARED_READER): string[] {
  return e
    .neighbours('Ledger Service', 25, scope, 1, asOf ? stamp(asOf) : null)
    .neighbours.filter((n) => n.relation === type)
    .map((n) => n.name);
}

function ingestLedger(e: Engine, text: string): void {
  fs.writeFileSync(path.join(tenant.kms, 'ledger.md'), text);
  e.ingest(tenant.kms, { source: 'test' });
}

describe('relations that hold over time', () => {
  it('closes a relation a note stops stating, answers as_of from history, and opens a new period when it is stated again', () => {
    const e = open();
    const first = clock();
    ingestLedger(e, LEDGER_OWNED);
    expect(neighboursOver(e, 'OWNER')).toEqual(['Nadia Kim']);

    const dropped = advance(60);
    ingestLedger(e, LEDGER_UNOWNED);
    expect(neighboursOver(e, 'OWNER')).toEqual([]);
    expect(neighboursOver(e, 'OWNER', new Date(first.getTime() + 30 * 60_000))).toEqual(['Nadia Kim']);
    expect(neighboursOver(e, 'OWNER', new Date(first.getTime() - 60_000))).toEqual([]);
    // The closed period is counted nowhere current: the stats agree with the test's own count of open rows.
    const openRows = graph<{ n: number }>(
      "SELECT COUNT(*) AS n FROM relations WHERE project = 'history' AND valid_until IS NULL",
    )[0]?.n;
    expect(e.stats(1).graph.relations).toBe(openRows);

    const restated = advance(60);
    ingestLedger(e, LEDGER_OWNED);
    expect(neighboursOver(e, 'OWNER')).toEqual(['Nadia Kim']);
    expect(neighboursOver(e, 'OWNER', new Date(dropped.getTime() + 30 * 60_000))).toEqual([]);
    const periods = graph<{ valid_from: string; valid_until: string | null }>(
      "SELECT valid_from, valid_until FROM relations WHERE type = 'OWNER' AND from_id = ? AND to_id = ? ORDER BY id",
      entityIdOf('history', 'Ledger Service'),
      entityIdOf('history', 'Nadia Kim'),
    );
    expect(periods).toEqual([
      { valid_from: stamp(first), valid_until: stamp(dropped) },
      { valid_from: stamp(restated), valid_until: null },
    ]);

    const relations = e.relationsOf('Ledger Service', { asOf: null, direction: 'out', limit: 10 }, SHARED_READER);
    const owner = relations.relations.find((r) => r.type === 'OWNER');
    expect(owner).toMatchObject({
      direction: 'out',
      other: { name: 'Nadia Kim' },
      origin: 'ingest',
      valid_from: stamp(restated),
      valid_until: null,
      sources: [{ path: 'ledger.md', count: 1 }],
    });
    const past = e.relationsOf(
      'Nadia Kim',
      { asOf: stamp(new Date(first.getTime() + 60_000)), direction: 'in', limit: 10 },
      SHARED_READER,
    );
    expect(past.relations.map((r) => [r.type, r.other.name, r.valid_until])).toContainEqual([
      'OWNER',
      'Ledger Service',
      stamp(dropped),
    ]);
  });

  it('keeps closed relations closed through the Night Gardener', () => {
    const e = open();
    ingestLedger(e, LEDGER_OWNED);
    advance(60);
    ingestLedger(e, LEDGER_UNOWNED);
    const closedBefore = graph<{ id: number; valid_until: string; weight: number }>(
      'SELECT id, valid_until, weight FROM relations WHERE valid_until IS NOT NULL ORDER BY id',
    );
    expect(closedBefore.length).toBeGreaterThan(0);
    advance(60 * 24 * 60);
    e.runGarden({ trigger: 'manual', command: 'test' });
    expect(graph('SELECT id, valid_until, weight FROM relations WHERE valid_until IS NOT NULL ORDER BY id')).toEqual(
      closedBefore,
    );
    expect(neighboursOver(e, 'OWNER')).toEqual([]);
  });

  it('creates and deletes manual relations, refuses note relations, and keeps manual ones through re-ingest', () => {
    const e = open();
    ingestLedger(e, LEDGER_OWNED);

    expect(() =>
      e.createRelation(
        {
          from: 'Ledger Service',
          to: 'Treasury Desk',
          type: 'REPORTS_TO',
          confidence: 0.8,
          verify: true,
          validFrom: null,
          validTo: null,
        },
        SHARED_WRITER,
      ),
    ).toThrow(/to_entity "Treasury Desk" is not an entity/);
    expect(graph("SELECT 1 FROM entities WHERE name = 'Treasury Desk'")).toEqual([]);

    const made = e.createRelation(
      {
        from: 'Ledger Service',
        to: 'Treasury Desk',
        type: 'REPORTS_TO',
        confidence: 0.8,
        verify: false,
        validFrom: null,
        validTo: null,
      },
      SHARED_WRITER,
    );
    expect(made.created).toBe(true);
    expect(made.created_entities.map((entity) => [entity.name, entity.type])).toEqual([['Treasury Desk', 'concept']]);
    expect(neighboursOver(e, 'REPORTS_TO')).toEqual(['Treasury Desk']);
    const created = clock();
    expect(
      graph('SELECT origin_tool, session_id, confidence, user_id, valid_from FROM relations WHERE type = ?', 'REPORTS_TO'),
    ).toEqual([
      { origin_tool: 'create_relation', session_id: 'session-1', confidence: 0.8, user_id: null, valid_from: stamp(created) },
    ]);

    // A re-ingest of every note leaves the manual relation alone.
    advance(10);
    ingestLedger(e, LEDGER_UNOWNED);
    expect(neighboursOver(e, 'REPORTS_TO')).toEqual(['Treasury Desk']);

    expect(() => e.deleteRelation({ from: 'Ledger Service', to: 'Nadia Kim', type: 'OWNER' }, SHARED_WRITER)).toThrow(
      /No relation Ledger Service -\[OWNER\]-> Nadia Kim holds now/,
    );
    ingestLedger(e, LEDGER_OWNED);
    expect(() => e.deleteRelation({ from: 'Ledger Service', to: 'Nadia Kim', type: 'OWNER' }, SHARED_WRITER)).toThrow(
      /comes from notes \(ledger\.md\).*Edit the note/,
    );
    expect(neighboursOver(e, 'OWNER')).toEqual(['Nadia Kim']);

    const deleted = advance(10);
    const closed = e.deleteRelation({ from: 'Ledger Service', to: 'Treasury Desk', type: 'REPORTS_TO' }, SHARED_WRITER);
    expect(closed).toMatchObject({ type: 'REPORTS_TO', valid_from: stamp(created), valid_until: stamp(deleted) });
    expect(neighboursOver(e, 'REPORTS_TO')).toEqual([]);
    expect(neighboursOver(e, 'REPORTS_TO', new Date(deleted.getTime() - 60_000))).toEqual(['Treasury Desk']);
    expect(() => e.deleteRelation({ from: 'Ledger Service', to: 'Treasury Desk', type: 'REPORTS_TO' }, SHARED_WRITER)).toThrow(
      /No relation/,
    );
  });

  it('records a past period and refuses periods ahead of now', () => {
    const e = open();
    ingestLedger(e, LEDGER_OWNED);
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2025-06-30T00:00:00Z');
    const base = { from: 'Nadia Kim', to: 'Ledger Service', type: 'MAINTAINED', confidence: 1, verify: true };
    e.createRelation({ ...base, validFrom: from, validTo: to }, SHARED_WRITER);
    const ask = (at: Date | null) =>
      e
        .relationsOf('Nadia Kim', { asOf: at ? stamp(at) : null, direction: 'out', limit: 10 }, SHARED_READER)
        .relations.filter((r) => r.type === 'MAINTAINED').length;
    expect([ask(new Date('2024-12-31T23:59:59Z')), ask(from), ask(new Date('2025-03-01T00:00:00Z')), ask(to), ask(null)]).toEqual(
      [0, 1, 1, 0, 0],
    );
    const later = new Date(now.getTime() + 86_400_000);
    expect(() => e.createRelation({ ...base, validFrom: later, validTo: null }, SHARED_WRITER)).toThrow(
      /valid_from is in the future/,
    );
    expect(() => e.createRelation({ ...base, validFrom: null, validTo: later }, SHARED_WRITER)).toThrow(
      /valid_to is in the future/,
    );
    expect(() => e.createRelation({ ...base, validFrom: to, validTo: from }, SHARED_WRITER)).toThrow(
      /valid_to must be after valid_from/,
    );
  });

  it("keeps a user's manual relation in their memory: invisible to another user and to the shared view", () => {
    const e = open();
    ingestLedger(e, LEDGER_OWNED);
    const x = writerFor('xavier');
    e.createRelation(
      { from: 'Ledger Service', to: 'Nadia Kim', type: 'audits', confidence: 0.5, verify: true, validFrom: null, validTo: null },
      x,
    );
    expect(graph('SELECT user_id, memory_id, from_id FROM relations WHERE type = ?', 'AUDITS')).toEqual([
      { user_id: 'xavier', memory_id: 'default', from_id: entityIdOf('history', 'Ledger Service') },
    ]);
    expect(neighboursOver(e, 'AUDITS', null, x.read)).toEqual(['Nadia Kim']);
    expect(neighboursOver(e, 'AUDITS', null, writerFor('yvonne').read)).toEqual([]);
    expect(neighboursOver(e, 'AUDITS', null, SHARED_READER)).toEqual([]);
    const seenByY = e.relationsOf('Nadia Kim', { asOf: null, direction: 'both', limit: 50 }, writerFor('yvonne').read);
    expect(seenByY.relations.map((r) => r.type)).not.toContain('AUDITS');
    expect(e.stats(1, SHARED_READER).graph.relations).toBe(
      graph<{ n: number }>('SELECT COUNT(*) AS n FROM relations WHERE user_id IS NULL AND valid_until IS NULL')[0]?.n,
    );

    expect(() => e.deleteRelation({ from: 'Ledger Service', to: 'Nadia Kim', type: 'AUDITS' }, writerFor('yvonne'))).toThrow(
      /No relation/,
    );
    expect(() => e.deleteRelation({ from: 'Ledger Service', to: 'Nadia Kim', type: 'OWNER' }, x)).toThrow(
      /in the shared graph, not this user's memory/,
    );
    e.deleteRelation({ from: 'Ledger Service', to: 'Nadia Kim', type: 'AUDITS' }, x);
    expect(neighboursOver(e, 'AUDITS', null, x.read)).toEqual([]);
  });
});

describe('graph.db version 4 -> 5', () => {
  it('keeps every relation and its sources, each valid from when it was created', () => {
    tenant = makeTenant('legacy');
    fs.mkdirSync(tenant.dataDir, { recursive: true });
    const file = path.join(tenant.dataDir, 'graph.db');
    const old = new Database(file);
    old.exec(GRAPH_MIGRATIONS.slice(0, 4).join(';\n'));
    old.pragma('user_version = 4');
    old.exec(`INSERT INTO documents (id, project, path, title, content_hash, created_at, updated_at)
        VALUES ('d1', 'legacy', 'a.md', 'A', 'h', '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00');
      INSERT INTO entities (id, project, name, norm, created_at, updated_at) VALUES
        ('e1', 'legacy', 'A', 'a', '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00'),
        ('e2', 'legacy', 'B', 'b', '2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00');
      INSERT INTO relations (id, project, from_id, to_id, type, weight, created_at, last_seen_at)
        VALUES (7, 'legacy', 'e1', 'e2', 'LINKS_TO', 2, '2026-01-02T00:00:00.000000+00:00', '2026-01-03T00:00:00.000000+00:00');
      INSERT INTO relation_sources (relation_id, doc_id, count) VALUES (7, 'd1', 2);`);
    old.close();

    engine = openEngine(tenant, clock);
    engine.close();
    engine = null;
    expect(query(file, 'PRAGMA user_version')).toEqual([{ user_version: GRAPH_SCHEMA_VERSION }]);
    expect(query(file, 'SELECT id, type, weight, valid_from, valid_until FROM relations')).toEqual([
      { id: 7, type: 'LINKS_TO', weight: 2, valid_from: '2026-01-02T00:00:00.000000+00:00', valid_until: null },
    ]);
    expect(query(file, 'SELECT relation_id, doc_id, count FROM relation_sources')).toEqual([
      { relation_id: 7, doc_id: 'd1', count: 2 },
    ]);
    expect(query(file, 'PRAGMA foreign_key_check')).toEqual([]);
    // Deleting the document still cascades into its relation sources after the rebuild.
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM documents WHERE id = 'd1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM relation_sources').get()).toEqual({ n: 0 });
    db.close();
  });
});
