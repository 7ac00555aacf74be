import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../lib/request/range';
import { entityId } from '../lib/store/ids';
import { dashboardReader, makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// An entity's neighbours grouped by relation type and direction, checked against the test's own SQL
// over relations and relation_sources on a graph the real writer built.
let tenant: Tenant;
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ range: '7d' }, NOW);
const graphFile = () => path.join(tenant.dataDir, 'graph.db');
const PROSE_SENTENCE = 'The Settlement Engine sends payments to Clearing House nightly.';

beforeAll(() => {
  tenant = makeTenant('n');
  // Nadia and the Ledger Service are related four ways: OWNER, LINKS_TO, CO_OCCURS, and LINKS_TO back.
  writeFile(
    tenant.kms,
    'ledger.md',
    '---\ntitle: Ledger Service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nRun by [[Nadia Kim]] with [[Clearing House]].\n',
  );
  writeFile(tenant.kms, 'nadia.md', '# Nadia Kim\n\nNadia keeps the [[Ledger Service]] running.\n');
  writeFile(tenant.kms, 'ops.md', '# Ops\n\n[[Nadia Kim]] and [[Ledger Service]] were paged twice.\n');
  // Plain prose: the relation is read from one sentence, which the entity page quotes.
  writeFile(tenant.kms, 'payments.md', `# Payments\n\nSome context first. ${PROSE_SENTENCE} Nothing else.\n`);
  const engine = openEngine(tenant, () => new Date('2026-11-19T10:00:00Z'));
  engine.ingest(tenant.kms, { source: 'test' });
  engine.close();
});

describe('entity relations', () => {
  it('groups by type and direction, each neighbour once per group, with the weight and the notes behind it', () => {
    const id = entityId('n', 'Nadia Kim');
    const relations = dashboardReader(tenant, range)('entityRelations', { id });
    const edges = query<{ rid: number; other: string; type: string; direction: string; weight: number }>(
      graphFile(),
      `SELECT id AS rid, to_id AS other, type, CASE WHEN type = 'CO_OCCURS' THEN 'both' ELSE 'out' END AS direction, weight
         FROM relations WHERE from_id = ?
       UNION ALL SELECT id, from_id, type, CASE WHEN type = 'CO_OCCURS' THEN 'both' ELSE 'in' END, weight FROM relations WHERE to_id = ?`,
      id,
      id,
    );
    expect(relations.relations).toBe(edges.length);
    expect(relations.neighbours).toBe(new Set(edges.map((edge) => edge.other)).size);
    const keys = (list: Array<{ type: string; direction: string }>) =>
      [...new Set(list.map((g) => `${g.type} ${g.direction}`))].sort();
    expect(keys(relations.groups)).toEqual(keys(edges));
    const ledger = entityId('n', 'Ledger Service');
    // The neighbour that was listed four times is in four groups, once in each.
    const ledgerGroups = relations.groups.filter((group) => group.rows.some((row) => row.id === ledger));
    expect(ledgerGroups.map((group) => `${group.type} ${group.direction}`).sort()).toEqual(
      keys(edges.filter((edge) => edge.other === ledger)),
    );
    expect(ledgerGroups.length).toBeGreaterThanOrEqual(3);
    for (const group of relations.groups) {
      expect(new Set(group.rows.map((row) => row.id)).size, group.type).toBe(group.rows.length);
      for (const row of group.rows) {
        const edge = edges.find((e) => e.other === row.id && e.type === group.type && e.direction === group.direction);
        expect(row.weight).toBe(edge?.weight);
        const notes = query<{ path: string }>(
          graphFile(),
          'SELECT d.path FROM relation_sources s JOIN documents d ON d.id = s.doc_id WHERE s.relation_id = ? ORDER BY d.path',
          edge?.rid,
        ).map((note) => note.path);
        expect(row.notes.rows.map((note) => note.path).sort(), `${group.type} ${row.id}`).toEqual(notes);
        expect(row.notes.total).toBe(notes.length);
      }
    }
    // Names and titles are content: support sees none of them.
    const support = dashboardReader(tenant, range, 'support')('entityRelations', { id });
    const shown = support.groups.flatMap((group) =>
      group.rows.flatMap((row) => [row.name, ...row.notes.rows.map((n) => n.title)]),
    );
    expect(new Set(shown)).toEqual(new Set(['[redacted]']));
  });

  it('quotes under a neighbour the sentences of each note that state the relation', () => {
    const engineId = entityId('n', 'Settlement Engine');
    const house = entityId('n', 'Clearing House');
    const group = dashboardReader(tenant, range)('entityRelations', { id: engineId }).groups.find(
      (g) => g.type === 'SEND' && g.direction === 'out',
    );
    const row = group?.rows.find((r) => r.id === house);
    expect(row?.notes.rows.map((note) => ({ path: note.path, sentences: note.sentences }))).toEqual([
      { path: 'payments.md', sentences: [PROSE_SENTENCE] },
    ]);
    // Every note row carries what relation_evidence holds for it, and nothing else.
    for (const g of dashboardReader(tenant, range)('entityRelations', { id: house }).groups) {
      for (const neighbour of g.rows) {
        for (const note of neighbour.notes.rows) {
          const stored = query<{ sentence: string }>(
            graphFile(),
            `SELECT DISTINCT e.sentence FROM relation_evidence e JOIN relations r ON r.id = e.relation_id
             WHERE e.doc_id = ? AND r.type = ? AND ((r.from_id = ? AND r.to_id = ?) OR (r.from_id = ? AND r.to_id = ?))`,
            note.docId,
            g.type,
            house,
            neighbour.id,
            neighbour.id,
            house,
          ).map((e) => e.sentence);
          expect([...note.sentences].sort(), `${g.type} ${neighbour.id} ${note.path}`).toEqual(stored.sort());
        }
      }
    }
    const support = dashboardReader(tenant, range, 'support')('entityRelations', { id: engineId });
    const sentences = support.groups.flatMap((g) => g.rows.flatMap((r) => r.notes.rows.flatMap((n) => n.sentences)));
    expect(sentences.length).toBeGreaterThan(0);
    expect(new Set(sentences)).toEqual(new Set(['[redacted]']));
  });

  it('reads a graph.db from before relation sentences were kept, with no sentences', () => {
    const older = makeTenant('n');
    fs.mkdirSync(older.dataDir, { recursive: true });
    for (const file of ['graph.db', 'metrics.db'])
      fs.copyFileSync(path.join(tenant.dataDir, file), path.join(older.dataDir, file));
    const db = new Database(path.join(older.dataDir, 'graph.db'));
    db.exec('DROP TABLE relation_evidence');
    db.close();
    const relations = dashboardReader(older, range)('entityRelations', { id: entityId('n', 'Settlement Engine') });
    const notes = relations.groups.flatMap((g) => g.rows.flatMap((r) => r.notes.rows));
    expect(notes.map((note) => note.path)).toContain('payments.md');
    expect(notes.flatMap((note) => note.sentences)).toEqual([]);
  });
});
