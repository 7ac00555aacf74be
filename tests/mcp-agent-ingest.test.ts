import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../lib/request/range';
import { withStdioClient } from './stdio-client';
import {
  connectHttp,
  createApiKey,
  dashboardReader,
  makeTenant,
  query,
  startHttpWriter,
  stopProcess,
  writeFile,
  type Tenant,
} from './helpers';

// One shared note the agent's submissions link into: by its name and by its alias.
const LEDGER_NOTE =
  '---\ntitle: Ledger Service\ntype: service\naliases: [Ledger]\n---\n# Ledger Service\n\nThe ledger reconciles payments nightly.\n';
const SESSION = 'agent-session-11';
const SOURCE = 'Payments runbook';

const VAULT_TEXT = 'The Quorum Vault stores settlement keys. Omar Haddad rotates them every quarter.';
const FLOW_TEXT = 'Settlement batches flow from the Quorum Vault into the ledger before noon.';

function runbook(flowRelation: Record<string, unknown>) {
  return {
    source: SOURCE,
    session_id: SESSION,
    chunks: [
      {
        text: VAULT_TEXT,
        heading: 'Keys',
        entities: [
          { name: 'Quorum Vault', type: 'Service' },
          { name: 'Omar Haddad', type: 'person' },
        ],
        relations: [{ from: 'Omar Haddad', to: 'Quorum Vault', type: 'rotates keys of', confidence: 0.8 }],
      },
      { text: FLOW_TEXT, relations: [flowRelation] },
    ],
  };
}
const FEEDS = { from: 'Quorum Vault', to: 'Ledger Service', type: 'feeds' };
// The alias of the note's entity: the same entity.
const BACKS = { from: 'Quorum Vault', to: 'Ledger', type: 'backs', confidence: 0.5 };

type CallResult = Awaited<ReturnType<Client['callTool']>>;

function graphDb(tenant: Tenant): string {
  return path.join(tenant.dataDir, 'graph.db');
}

function textOf(result: CallResult): string {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return first?.text ?? '';
}

function structured<T>(result: CallResult): T {
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(result.structuredContent).toEqual(JSON.parse(textOf(result)));
  return result.structuredContent as T;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return client.callTool({ name, arguments: args });
}

/** Every row count of the graph's tables: what a refused call must leave as it was. */
function snapshot(tenant: Tenant): Record<string, number> {
  const tables = ['documents', 'chunks', 'entities', 'entity_aliases', 'mentions', 'relations', 'relation_sources', 'users'];
  return Object.fromEntries(
    tables.map((table) => [table, query<{ n: number }>(graphDb(tenant), `SELECT COUNT(*) AS n FROM ${table}`)[0]?.n ?? 0]),
  );
}

function entityId(tenant: Tenant, name: string, userId: string | null = null): string {
  const rows = query<{ id: string }>(graphDb(tenant), 'SELECT id FROM entities WHERE name = ? AND user_id IS ?', name, userId);
  expect(rows, name).toHaveLength(1);
  return rows[0]?.id ?? '';
}

interface RelationRow {
  from_name: string;
  to_name: string;
  type: string;
  confidence: number;
  origin_tool: string;
  session_id: string | null;
  doc_ids: string;
}

/** The relations a tool made that hold now, with their provenance, in the test's own SQL. */
function relationsOf(tenant: Tenant, origin: string): RelationRow[] {
  return query<RelationRow>(
    graphDb(tenant),
    `SELECT f.name AS from_name, t.name AS to_name, r.type, r.confidence, r.origin_tool, r.session_id,
       (SELECT GROUP_CONCAT(doc_id) FROM relation_sources s WHERE s.relation_id = r.id) AS doc_ids
     FROM relations r JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id
     WHERE r.origin_tool = ? AND r.valid_until IS NULL ORDER BY r.type`,
    origin,
  );
}

async function expectRefused(
  tenant: Tenant,
  client: Client,
  name: string,
  args: Record<string, unknown>,
  field: string,
): Promise<void> {
  const before = snapshot(tenant);
  const error = await call(client, name, args).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, field).toBeInstanceOf(McpError);
  expect((error as McpError).code).toBe(-32602);
  expect((error as McpError).message).toContain(field);
  expect((error as McpError).data).toEqual({ fields: expect.arrayContaining([field]) });
  expect(snapshot(tenant), field).toEqual(before);
}

interface Submitted {
  doc_id: string;
  document_id: string;
  change: string;
  chunks: number;
  relations_removed: number;
}

async function prechunked(client: Client, tenant: Tenant): Promise<void> {
  const graph = graphDb(tenant);
  const ledgerId = entityId(tenant, 'Ledger Service');
  const first = structured<Submitted>(await call(client, 'ingest_prechunked', runbook(FEEDS)));
  expect(first).toMatchObject({ change: 'new', chunks: 2 });

  // Stored beside the note, in a namespace of its own; the note is untouched.
  const docs = query<{ id: string; path: string; source: string }>(graph, 'SELECT id, path, source FROM documents ORDER BY path');
  expect(docs.map((doc) => [doc.path, doc.source])).toEqual([
    ['ledger.md', 'file'],
    [`prechunked:${SOURCE}`, 'ingest_prechunked'],
  ]);
  expect(docs[1]?.id).toBe(first.document_id);
  expect(
    query(graph, 'SELECT chunk_idx, heading, text FROM chunks WHERE doc_id = ? ORDER BY chunk_idx', first.document_id),
  ).toEqual([
    { chunk_idx: 0, heading: 'Keys', text: VAULT_TEXT },
    { chunk_idx: 1, heading: null, text: FLOW_TEXT },
  ]);

  // The relations, their origin, session and provenance; the ledger end is the note's entity.
  expect(relationsOf(tenant, 'ingest_prechunked')).toEqual([
    { ...provenance(first), from_name: 'Quorum Vault', to_name: 'Ledger Service', type: 'FEEDS', confidence: 1 },
    { ...provenance(first), from_name: 'Omar Haddad', to_name: 'Quorum Vault', type: 'ROTATES_KEYS_OF', confidence: 0.8 },
  ]);
  expect(entityId(tenant, 'Ledger Service')).toBe(ledgerId);
  expect(query(graph, "SELECT type FROM entities WHERE name = 'Quorum Vault'")).toEqual([{ type: 'service' }]);

  const search = structured<{ results: Array<{ text: string; docId: string }> }>(
    await call(client, 'hydra_search_tool', { query: 'settlement keys rotates', k: 3 }),
  );
  expect(search.results[0]).toMatchObject({ text: VAULT_TEXT, docId: first.document_id });

  type Neighbours = {
    neighbours: Array<{ name: string; relation: string; direction: string; origin: string; confidence: number }>;
  };
  const near = structured<Neighbours>(await call(client, 'get_entity_neighbors_tool', { entity_id: 'Quorum Vault' }));
  expect(
    near.neighbours.map(({ name, relation, direction, origin, confidence }) => ({
      name,
      relation,
      direction,
      origin,
      confidence,
    })),
  ).toEqual(
    expect.arrayContaining([
      { name: 'Ledger Service', relation: 'FEEDS', direction: 'out', origin: 'ingest_prechunked', confidence: 1 },
      { name: 'Omar Haddad', relation: 'ROTATES_KEYS_OF', direction: 'in', origin: 'ingest_prechunked', confidence: 0.8 },
    ]),
  );

  // The same content again: nothing changes.
  const before = snapshot(tenant);
  const again = structured<Submitted>(await call(client, 'ingest_prechunked', runbook(FEEDS)));
  expect(again).toMatchObject({ change: 'unchanged', document_id: first.document_id });
  expect(snapshot(tenant)).toEqual(before);

  // Changed content for the same doc: its old relation goes, the new one comes (through the alias).
  const changed = structured<Submitted>(await call(client, 'ingest_prechunked', runbook(BACKS)));
  expect(changed).toMatchObject({ change: 'changed', document_id: first.document_id, relations_removed: 1 });
  expect(relationsOf(tenant, 'ingest_prechunked').map((r) => [r.from_name, r.type, r.to_name, r.confidence])).toEqual([
    ['Quorum Vault', 'BACKS', 'Ledger Service', 0.5],
    ['Omar Haddad', 'ROTATES_KEYS_OF', 'Quorum Vault', 0.8],
  ]);
  // One relation replaced by another: the old one stays as a closed period of history.
  expect(snapshot(tenant)).toEqual({ ...before, relations: before.relations! + 1 });
  expect(query(graphDb(tenant), "SELECT valid_until IS NOT NULL AS closed FROM relations WHERE type = 'FEEDS'")).toEqual([
    { closed: 1 },
  ]);
}

function provenance(submitted: Submitted) {
  return { origin_tool: 'ingest_prechunked', session_id: SESSION, doc_ids: submitted.document_id };
}

async function sessionExtraction(client: Client, tenant: Tenant): Promise<void> {
  const graph = graphDb(tenant);
  const ledgerId = entityId(tenant, 'Ledger Service');
  const entitiesBefore = snapshot(tenant).entities ?? 0;
  const extraction = {
    session_id: 'review-3',
    entities: [
      { name: 'ledger service', type: 'system' },
      { name: 'Recon Report', type: 'artifact' },
    ],
    relations: [
      { from: 'Ledger Service', to: 'Recon Report', type: 'produces', confidence: 0.6 },
      { from: 'Omar Haddad', to: 'Recon Report', type: 'reads' },
    ],
  };
  const first = structured<{ document_id: string; change: string; session_id: string }>(
    await call(client, 'submit_session_extraction', extraction),
  );
  expect(first).toMatchObject({ change: 'new', session_id: 'review-3' });
  // Merged: one new entity (the report); the note's entity keeps its id and its type.
  expect(snapshot(tenant).entities).toBe(entitiesBefore + 1);
  expect(query(graph, 'SELECT id, type FROM entities WHERE norm = ?', 'ledgerservice')).toEqual([
    { id: ledgerId, type: 'service' },
  ]);
  const session = { origin_tool: 'submit_session_extraction', session_id: 'review-3', doc_ids: first.document_id };
  expect(relationsOf(tenant, 'submit_session_extraction')).toEqual([
    { ...session, from_name: 'Ledger Service', to_name: 'Recon Report', type: 'PRODUCES', confidence: 0.6 },
    { ...session, from_name: 'Omar Haddad', to_name: 'Recon Report', type: 'READS', confidence: 1 },
  ]);
  expect(query(graph, 'SELECT path, source FROM documents WHERE id = ?', first.document_id)).toEqual([
    { path: 'session:review-3', source: 'submit_session_extraction' },
  ]);

  // The same session again replaces its contribution: the relation it no longer states goes.
  const second = structured<{ document_id: string; change: string }>(
    await call(client, 'submit_session_extraction', { ...extraction, relations: extraction.relations.slice(1) }),
  );
  expect(second).toMatchObject({ change: 'changed', document_id: first.document_id });
  expect(relationsOf(tenant, 'submit_session_extraction').map((r) => r.type)).toEqual(['READS']);
  expect(query(graph, "SELECT 1 FROM documents WHERE source = 'submit_session_extraction'")).toHaveLength(1);
}

async function refusals(client: Client, tenant: Tenant): Promise<void> {
  const chunk = { text: 'Short.', entities: [{ name: 'Quorum Vault' }] };
  const doc = (chunks: unknown[]) => ({ source: 'Refused doc', chunks });
  const relation = (extra: Record<string, unknown>) => ({ from: 'Quorum Vault', to: 'Omar Haddad', type: 'knows', ...extra });
  await expectRefused(tenant, client, 'ingest_prechunked', doc([{ ...chunk, summary: 'x' }]), 'summary');
  await expectRefused(
    tenant,
    client,
    'ingest_prechunked',
    doc([{ ...chunk, relations: [relation({ to: 'Nobody Known' })] }]),
    'chunks.0.relations.0.to',
  );
  await expectRefused(
    tenant,
    client,
    'ingest_prechunked',
    doc([{ ...chunk, relations: [relation({ confidence: 2 })] }]),
    'chunks.0.relations.0.confidence',
  );
  await expectRefused(tenant, client, 'ingest_prechunked', doc(Array.from({ length: 201 }, () => chunk)), 'chunks');
  await expectRefused(tenant, client, 'ingest_prechunked', doc([{ text: 'x'.repeat(20_001) }]), 'chunks.0.text');
  await expectRefused(
    tenant,
    client,
    'ingest_prechunked',
    doc([{ ...chunk, entities: [{ name: 'N'.repeat(201) }] }]),
    'chunks.0.entities.0.name',
  );
  // A good chunk before a bad one: nothing of the document is written either.
  await expectRefused(
    tenant,
    client,
    'ingest_prechunked',
    doc([chunk, { text: 'More.', relations: [relation({ from: 'Ghost' })] }]),
    'chunks.1.relations.0.from',
  );
  const tooMany = Array.from({ length: 501 }, (_, i) => ({ name: `Entity ${i}` }));
  // Each chunk within its bounds, the document over them in all.
  const halves = [tooMany.slice(0, 300), tooMany.slice(300)].map((entities) => ({ text: 'Many.', entities }));
  await expectRefused(tenant, client, 'ingest_prechunked', doc(halves), 'chunks');
  await expectRefused(tenant, client, 'submit_session_extraction', { entities: tooMany }, 'entities');
  await expectRefused(
    tenant,
    client,
    'submit_session_extraction',
    { relations: [relation({ from: 'Ghost' })] },
    'relations.0.from',
  );
  await expectRefused(tenant, client, 'submit_session_extraction', { entities: [{ name: 'X', kind: 'y' }] }, 'kind');
}

/** The calls were tracked with their session and audited as writes. */
function expectRecorded(tenant: Tenant): void {
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const events = query<{ tool_name: string; session_id: string }>(
    metrics,
    "SELECT tool_name, session_id FROM events WHERE tool_name IN ('ingest_prechunked', 'submit_session_extraction') ORDER BY id",
  );
  expect(events.filter((e) => e.tool_name === 'ingest_prechunked' && e.session_id === SESSION)).toHaveLength(3);
  expect(events.filter((e) => e.tool_name === 'submit_session_extraction' && e.session_id === 'review-3')).toHaveLength(2);
  const audit = query<{ action: string; target: string; result: string }>(
    metrics,
    'SELECT action, target, result FROM audit_log WHERE target IN (?, ?, ?) ORDER BY id',
    `prechunked:${SOURCE}`,
    'session:review-3',
    'prechunked:Refused doc',
  );
  const ok = (action: string, target: string) => ({ action, target, result: 'ok' });
  // Refused by the graph (a relation to no known entity): audited as failed; refused by the schema: never reached the writer.
  const failed = { action: 'ingest.prechunked', target: 'prechunked:Refused doc', result: 'failed' };
  expect(audit).toEqual([
    ...Array.from({ length: 3 }, () => ok('ingest.prechunked', `prechunked:${SOURCE}`)),
    ...Array.from({ length: 2 }, () => ok('graph.session_extraction', 'session:review-3')),
    failed,
    failed,
  ]);
  const runs = query<{ path: string; change: string }>(
    metrics,
    'SELECT path, change FROM ingest_runs WHERE path = ? ORDER BY id',
    `prechunked:${SOURCE}`,
  );
  expect(runs.map((run) => run.change)).toEqual(['new', 'unchanged', 'changed']);
}

/** The dashboard's ingest and graph pages read the submissions like any document. */
function expectDashboard(tenant: Tenant): void {
  const read = dashboardReader(tenant, parseRange({ range: '7d' }, new Date()));
  const graph = graphDb(tenant);
  const chunksOf = (docPath: string): number =>
    query<{ n: number }>(
      graph,
      'SELECT COUNT(*) AS n FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = ?',
      docPath,
    )[0]?.n ?? -1;
  const sources = new Map(read('ingestSources').rows.map((row) => [row.path, row]));
  expect(sources.get(`prechunked:${SOURCE}`)).toMatchObject({
    status: 'ok',
    change: 'changed',
    chunks: chunksOf(`prechunked:${SOURCE}`),
  });
  expect(sources.get('session:review-3')).toMatchObject({
    status: 'ok',
    change: 'changed',
    chunks: chunksOf('session:review-3'),
  });
  const counts = snapshot(tenant);
  expect(read('graphTotals', { user: null, memory: null })).toEqual({
    documents: counts.documents,
    chunks: counts.chunks,
    entities: counts.entities,
    // The graph's relations are those that hold now; closed periods are history.
    relations: query<{ n: number }>(graphDb(tenant), 'SELECT COUNT(*) AS n FROM relations WHERE valid_until IS NULL')[0]?.n,
  });
}

async function exercise(client: Client, tenant: Tenant): Promise<void> {
  const { tools } = await client.listTools();
  for (const name of ['ingest_prechunked', 'submit_session_extraction']) {
    const tool = tools.find((t) => t.name === name);
    expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
  }
  await prechunked(client, tenant);
  await sessionExtraction(client, tenant);
  await refusals(client, tenant);
}

function seeded(project: string): Tenant {
  const tenant = makeTenant(project);
  writeFile(tenant.kms, 'ledger.md', LEDGER_NOTE);
  return tenant;
}

describe('agent-driven ingestion over MCP', () => {
  it('stores, replaces, merges and refuses over stdio', async () => {
    const tenant = seeded('agent-stdio');
    await withStdioClient(tenant, 'agent', (client) => exercise(client, tenant));
    expectRecorded(tenant);
    expectDashboard(tenant);
  });

  it('does the same over Streamable HTTP, and a user’s document stays theirs', async () => {
    const tenant = seeded('agent-http');
    const { key } = createApiKey(tenant);
    const { writer, port } = await startHttpWriter(tenant);
    try {
      const client = await connectHttp(port, key);
      await exercise(client, tenant);
      await privateDocument(client, tenant);
      await client.close();
    } finally {
      await stopProcess(writer);
    }
    expectRecorded(tenant);
  });
});

async function privateDocument(client: Client, tenant: Tenant): Promise<void> {
  const graph = graphDb(tenant);
  const shared = (): unknown[] => query(graph, 'SELECT id, type, weight FROM relations WHERE user_id IS NULL ORDER BY id');
  const sharedBefore = shared();
  const text = 'Zephyrine Oakes keeps the cold wallet passphrase in the Marigold Safe, next to the ledger keys.';
  const submitted = structured<{ document_id: string; scope: unknown }>(
    await call(client, 'ingest_prechunked', {
      source: 'Alice private notes',
      user_id: 'alice',
      chunks: [
        {
          text,
          entities: [
            { name: 'Marigold Safe', type: 'place' },
            { name: 'Zephyrine Oakes', type: 'person' },
          ],
          relations: [
            { from: 'Zephyrine Oakes', to: 'Marigold Safe', type: 'uses' },
            // A shared entity it may see: linked through Alice's own copy, never the shared one.
            { from: 'Marigold Safe', to: 'Ledger Service', type: 'guards' },
          ],
        },
      ],
    }),
  );
  expect(submitted.scope).toEqual({ user_id: 'alice', memory_id: 'default' });
  expect(query(graph, 'SELECT user_id, memory_id, source FROM documents WHERE id = ?', submitted.document_id)).toEqual([
    { user_id: 'alice', memory_id: 'default', source: 'ingest_prechunked' },
  ]);
  // What it taught the graph is Alice's: private entities, a private relation, nothing shared added.
  expect(query(graph, "SELECT user_id FROM entities WHERE name = 'Marigold Safe'")).toEqual([{ user_id: 'alice' }]);
  expect(query(graph, "SELECT user_id, type FROM entities WHERE name = 'Ledger Service' ORDER BY user_id")).toEqual([
    { user_id: null, type: 'service' },
    { user_id: 'alice', type: 'service' },
  ]);
  expect(query(graph, "SELECT user_id FROM relations WHERE type IN ('USES', 'GUARDS')")).toEqual([
    { user_id: 'alice' },
    { user_id: 'alice' },
  ]);
  expect(shared()).toEqual(sharedBefore);

  const search = (extra: Record<string, unknown>) =>
    call(client, 'hydra_search_tool', { query: 'Marigold Safe passphrase', ...extra }).then((r) =>
      structured<{ results: Array<{ text: string }> }>(r).results.map((hit) => hit.text),
    );
  expect(await search({ user_id: 'alice' })).toContain(text);
  expect(await search({ user_id: 'bob' })).not.toContain(text);
  expect(await search({})).not.toContain(text);
  const bobs = structured<{ total: number }>(await call(client, 'list_entities_tool', { query: 'Marigold', user_id: 'bob' }));
  expect(bobs.total).toBe(0);
}
