import { createHash } from 'node:crypto';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { withHttpClient, withStdioClient } from './stdio-client';
import { makeTenant, query, writeFile, type Tenant } from './helpers';

const NOTES: Record<string, string> = {
  'ledger.md':
    '---\ntitle: Ledger Service\ntype: service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nIt reconciles payments.\n',
  'nadia.md': '---\ntitle: Nadia Kim\ntype: person\n---\n# Nadia Kim\n\nNadia works in finance.\n',
};
const SESSION = 'relation-agent-session';

type CallResult = Awaited<ReturnType<Client['callTool']>>;

interface Entity {
  id: string;
  name: string;
}
interface Relation {
  id: number;
  type: string;
  from: Entity;
  to: Entity;
  origin: string;
  confidence: number;
  valid_from: string;
  valid_until: string | null;
}
interface EntityRelations {
  relations: Array<Relation & { direction: string; other: Entity; sources: Array<{ path: string }> }>;
  total: number;
}

// The shared entity id as the Python HydraMem documents it.
const entityIdOf = (project: string, name: string) =>
  createHash('md5')
    .update(`${project}:${name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')}`)
    .digest('hex')
    .slice(0, 12);

function textOf(result: CallResult): string {
  return (result.content as Array<{ text?: string }>)[0]?.text ?? '';
}

function structured<T>(result: CallResult): T {
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(result.structuredContent).toEqual(JSON.parse(textOf(result)));
  return result.structuredContent as T;
}

const call = (client: Client, name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

async function expectInvalidParams(client: Client, name: string, args: Record<string, unknown>, field: string) {
  const error = await call(client, name, args).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpError);
  expect((error as McpError).code).toBe(-32602);
  expect((error as McpError).message).toContain(field);
  expect((error as McpError).data).toEqual({ fields: expect.arrayContaining([field]) });
}

async function expectRefused(client: Client, name: string, args: Record<string, unknown>, pattern: RegExp) {
  const result = await call(client, name, args);
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(pattern);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Open relations out of an entity that the shared view holds, by the test's own SQL: "TYPE>other id". */
function sharedOpenOut(tenant: Tenant, from: string): string[] {
  return query<{ edge: string }>(
    path.join(tenant.dataDir, 'graph.db'),
    "SELECT type || '>' || to_id AS edge FROM relations WHERE from_id = ? AND user_id IS NULL AND valid_until IS NULL ORDER BY edge",
    from,
  ).map((row) => row.edge);
}

async function badArguments(client: Client): Promise<void> {
  const ends = { from_entity: 'Ledger Service', to_entity: 'Nadia Kim' };
  await expectInvalidParams(client, 'create_relation', { ...ends, relation_type: '' }, 'relation_type');
  await expectInvalidParams(client, 'create_relation', { ...ends, relation_type: 'DROP TABLE;' }, 'relation_type');
  await expectInvalidParams(client, 'create_relation', { ...ends, relation_type: 'X'.repeat(65) }, 'relation_type');
  await expectInvalidParams(client, 'create_relation', { ...ends, relation_type: 'OWNS', confidence: 1.5 }, 'confidence');
  await expectInvalidParams(client, 'create_relation', { ...ends, relation_type: 'OWNS', valid_from: 'yesterday' }, 'valid_from');
  await expectInvalidParams(client, 'create_relation', { to_entity: 'Nadia Kim', relation_type: 'OWNS' }, 'from_entity');
  await expectInvalidParams(client, 'delete_relation', { ...ends }, 'relation_type');
  await expectInvalidParams(client, 'query_entity_relations', { entity_id: 'Nadia Kim', direction: 'sideways' }, 'direction');
  await expectInvalidParams(client, 'query_entity_relations', { entity_id: 'Nadia Kim', as_of: '2026-13-45' }, 'as_of');
  await expectInvalidParams(client, 'query_entity_relations', {}, 'entity');
  await expectRefused(
    client,
    'create_relation',
    { from_entity: 'Ledger Service', to_entity: 'Treasury Desk', relation_type: 'REPORTS_TO' },
    /to_entity "Treasury Desk" is not an entity/,
  );
  await expectRefused(
    client,
    'create_relation',
    { ...ends, relation_type: 'OWNS', valid_to: '2999-01-01T00:00:00Z' },
    /valid_to is in the future/,
  );
}

async function roundTrip(client: Client, tenant: Tenant): Promise<void> {
  const ledger = entityIdOf(tenant.project, 'Ledger Service');
  const nadia = entityIdOf(tenant.project, 'Nadia Kim');
  const made = structured<{ created: boolean; relation: Relation }>(
    await call(client, 'create_relation', {
      from_entity: 'Ledger Service',
      to_entity: nadia,
      relation_type: 'reviewed by',
      confidence: 0.7,
      session_id: SESSION,
    }),
  );
  expect(made).toMatchObject({ created: true, relation: { type: 'REVIEWED_BY', origin: 'create_relation', confidence: 0.7 } });
  expect(made.relation).toMatchObject({ from: { id: ledger }, to: { id: nadia }, valid_until: null });
  expect(
    query(path.join(tenant.dataDir, 'graph.db'), 'SELECT session_id, user_id FROM relations WHERE id = ?', made.relation.id),
  ).toEqual([{ session_id: SESSION, user_id: null }]);

  const out = structured<EntityRelations>(await call(client, 'query_entity_relations', { entity_id: ledger, direction: 'out' }));
  expect(out.relations.map((r) => `${r.type}>${r.other.id}`).sort()).toEqual(sharedOpenOut(tenant, ledger));
  expect(out.relations.find((r) => r.type === 'OWNER')).toMatchObject({ origin: 'ingest', sources: [{ path: 'ledger.md' }] });
  const into = structured<EntityRelations>(
    await call(client, 'query_entity_relations', { entity_id: 'Nadia Kim', direction: 'in' }),
  );
  expect(into.relations.filter((r) => r.type === 'REVIEWED_BY').map((r) => [r.direction, r.other.name])).toEqual([
    ['in', 'Ledger Service'],
  ]);

  await expectRefused(
    client,
    'delete_relation',
    { from_entity: ledger, to_entity: nadia, relation_type: 'OWNER' },
    /comes from notes \(ledger\.md\).*Edit the note/,
  );
  await sleep(5);
  const deleted = structured<{ closed: Relation }>(
    await call(client, 'delete_relation', { from_entity: ledger, to_entity: nadia, relation_type: 'REVIEWED_BY' }),
  );
  expect(deleted.closed.valid_until).not.toBeNull();
  expect(deleted.closed.valid_until! > made.relation.valid_from).toBe(true);
  await expectRefused(
    client,
    'delete_relation',
    { from_entity: ledger, to_entity: nadia, relation_type: 'REVIEWED_BY' },
    /No relation Ledger Service -\[REVIEWED_BY\]-> Nadia Kim holds now/,
  );

  type Neighbours = { neighbours: Array<{ name: string; relation: string }> };
  const reviewedBy = (result: Neighbours) => result.neighbours.filter((n) => n.relation === 'REVIEWED_BY').map((n) => n.name);
  const now = structured<Neighbours>(await call(client, 'get_entity_neighbors_tool', { entity_id: ledger }));
  expect(reviewedBy(now)).toEqual([]);
  const then = structured<Neighbours>(
    await call(client, 'get_entity_neighbors_tool', { entity_id: ledger, as_of: made.relation.valid_from }),
  );
  expect(reviewedBy(then)).toEqual(['Nadia Kim']);
  const history = structured<EntityRelations & { as_of: string }>(
    await call(client, 'query_entity_relations', { entity_id: ledger, as_of: made.relation.valid_from }),
  );
  expect(history.relations.find((r) => r.type === 'REVIEWED_BY')?.valid_until).toBe(deleted.closed.valid_until);
}

async function userScope(client: Client, tenant: Tenant): Promise<void> {
  const ledger = entityIdOf(tenant.project, 'Ledger Service');
  structured(
    await call(client, 'create_relation', {
      from_entity: 'Ledger Service',
      to_entity: 'Nadia Kim',
      relation_type: 'AUDITS',
      user_id: 'xavier',
    }),
  );
  const audits = async (args: Record<string, unknown>) =>
    structured<EntityRelations>(await call(client, 'query_entity_relations', { entity_id: ledger, ...args }))
      .relations.filter((r) => r.type === 'AUDITS')
      .map((r) => r.other.name);
  expect(await audits({ user_id: 'xavier' })).toEqual(['Nadia Kim']);
  expect(await audits({ user_id: 'yvonne' })).toEqual([]);
  expect(await audits({})).toEqual([]);
  await expectRefused(
    client,
    'delete_relation',
    { from_entity: 'Ledger Service', to_entity: 'Nadia Kim', relation_type: 'AUDITS', user_id: 'yvonne' },
    /No relation/,
  );
  structured(
    await call(client, 'delete_relation', {
      from_entity: 'Ledger Service',
      to_entity: 'Nadia Kim',
      relation_type: 'AUDITS',
      user_id: 'xavier',
    }),
  );
  expect(await audits({ user_id: 'xavier' })).toEqual([]);
}

async function exercise(client: Client, tenant: Tenant): Promise<void> {
  await call(client, 'ingest_directory_tool', { directory: '.' });
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  expect(Object.keys(byName.get('create_relation')?.inputSchema.properties ?? {})).toEqual(
    expect.arrayContaining(['from_entity', 'to_entity', 'relation_type', 'confidence', 'verify', 'valid_from', 'valid_to']),
  );
  expect(byName.get('query_entity_relations')?.annotations).toMatchObject({ readOnlyHint: true });
  expect(byName.get('delete_relation')?.annotations).toMatchObject({ destructiveHint: true });
  await badArguments(client);
  await roundTrip(client, tenant);
  await userScope(client, tenant);
}

/** Each answered create and delete is in the audit trail with the relation it acted on; refusals say why. */
function expectAudited(tenant: Tenant): void {
  const rows = query<{ action: string; target: string | null; result: string; end_user: string | null }>(
    path.join(tenant.dataDir, 'metrics.db'),
    "SELECT action, target, result, end_user FROM audit_log WHERE action LIKE 'relation.%' ORDER BY id",
  );
  const ok = rows.filter((row) => row.result === 'ok');
  expect(ok.map((row) => [row.action, row.end_user])).toEqual([
    ['relation.create', null],
    ['relation.delete', null],
    ['relation.create', 'xavier'],
    ['relation.delete', 'xavier'],
  ]);
  for (const row of ok) expect(row.target).toMatch(/^relation:\d+ [0-9a-f]{12} -\[(REVIEWED_BY|AUDITS)\]-> [0-9a-f]{12}$/);
  expect(rows.filter((row) => row.result === 'failed').map((row) => row.target)).toContain(
    'Ledger Service -[REPORTS_TO]-> Treasury Desk',
  );
}

function seededTenant(name: string): Tenant {
  const tenant = makeTenant(name);
  for (const [file, text] of Object.entries(NOTES)) writeFile(tenant.kms, file, text);
  return tenant;
}

describe('relation tools over MCP', () => {
  it('create, delete, query and as_of over stdio', async () => {
    const tenant = seededTenant('rel-stdio');
    await withStdioClient(tenant, 'relation-agent', (client) => exercise(client, tenant));
    expectAudited(tenant);
  });

  it('create, delete, query and as_of over Streamable HTTP', async () => {
    const tenant = seededTenant('rel-http');
    await withHttpClient(tenant, (client) => exercise(client, tenant));
    expectAudited(tenant);
  });
});
