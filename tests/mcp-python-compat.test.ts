import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { withHttpClient, withStdioClient } from './stdio-client';
import { makeTenant, query, writeFile, type Tenant } from './helpers';

// A chain Ledger Service — Nadia Kim — Treasury Desk, so that two hops reach further than one.
const NOTES: Record<string, string> = {
  'ledger.md':
    '---\ntitle: Ledger Service\ntype: service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nThe ledger reconciles payments nightly.\n',
  'nadia.md': '---\ntitle: Nadia Kim\ntype: person\n---\n# Nadia Kim\n\nNadia runs the [[Ledger Service]].\n',
  'desk/treasury.md': '---\ntitle: Treasury Desk\ntype: team\n---\n# Treasury Desk\n\nThe desk reports to [[Nadia Kim]].\n',
};
const SESSION = 'python-agent-session-7';
const QUERY = 'who runs the Ledger Service';

type CallResult = Awaited<ReturnType<Client['callTool']>>;

function seed(tenant: Tenant): void {
  for (const [file, text] of Object.entries(NOTES)) writeFile(tenant.kms, file, text);
}

function textOf(result: CallResult): string {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return first?.text ?? '';
}

/** The structured result, checked to be the same JSON as the text content older clients read. */
function structured<T>(result: CallResult): T {
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toEqual(JSON.parse(textOf(result)));
  return result.structuredContent as T;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return client.callTool({ name, arguments: args });
}

/** The protocol's invalid-params error, with every field in `fields` named in its message. */
async function expectInvalidParams(client: Client, name: string, args: Record<string, unknown>, fields: string[]) {
  const error = await call(client, name, args).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpError);
  expect((error as McpError).code).toBe(-32602);
  expect((error as McpError).message).not.toMatch(/MCP error -32602: MCP error/);
  for (const field of fields) expect((error as McpError).message).toContain(field);
  expect((error as McpError).data).toEqual({ fields: expect.arrayContaining(fields) });
}

/** Entity names by distance from one entity over the shared graph, by breadth-first search in the test's own SQL. */
function hopsFrom(tenant: Tenant, start: string, maxHops: number): Map<string, number> {
  const graph = path.join(tenant.dataDir, 'graph.db');
  const edges = query<{ a: string; b: string }>(
    graph,
    'SELECT from_id AS a, to_id AS b FROM relations WHERE project = ? AND user_id IS NULL',
    tenant.project,
  );
  const names = new Map(
    query<{ id: string; name: string }>(graph, 'SELECT id, name FROM entities WHERE user_id IS NULL').map((r) => [r.id, r.name]),
  );
  const distance = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  for (let hop = 1; hop <= maxHops; hop += 1) {
    const next = edges.flatMap((e) => [frontier.includes(e.a) ? e.b : null, frontier.includes(e.b) ? e.a : null]);
    frontier = [...new Set(next.filter((id): id is string => id !== null && !distance.has(id)))];
    for (const id of frontier) distance.set(id, hop);
  }
  distance.delete(start);
  return new Map([...distance].map(([id, hop]) => [names.get(id) ?? id, hop]));
}

async function expectSchemas(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.length).toBeGreaterThanOrEqual(15);
  for (const tool of tools) {
    expect(tool.description, tool.name).toMatch(/\w/);
    expect(tool.outputSchema?.type, tool.name).toBe('object');
    expect(tool.annotations?.openWorldHint, tool.name).toBe(false);
    for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint'] as const)
      expect(typeof tool.annotations?.[hint], `${tool.name} ${hint}`).toBe('boolean');
    const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
    for (const [name, schema] of Object.entries(properties)) expect(schema.description, `${tool.name}.${name}`).toMatch(/\w/);
  }
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  expect(byName.get('hydra_search_tool')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  expect(byName.get('ingest_directory_tool')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  expect(byName.get('hydra_search_tool')?.inputSchema.properties).toHaveProperty('k');
  expect(byName.get('ingest_markdown')?.inputSchema.properties).toHaveProperty('file_path');
}

async function searchTools(client: Client, tenant: Tenant): Promise<void> {
  const one = structured<{ results: unknown[] }>(
    await call(client, 'hydra_search_tool', { query: QUERY, k: 1, project: tenant.project, session_id: SESSION }),
  );
  expect(one.results).toHaveLength(1);
  const two = structured<{ results: unknown[] }>(await call(client, 'hydra_search_tool', { query: QUERY, k: 2, limit: 2 }));
  expect(two.results).toHaveLength(2);
  await expectInvalidParams(client, 'hydra_search_tool', { query: QUERY, k: 1, limit: 3 }, ['limit', 'k']);
  await expectInvalidParams(client, 'hydra_search_tool', { query: QUERY, k: 0 }, ['k']);
  await expectInvalidParams(client, 'hydra_search_tool', { query: QUERY, top_k: 3 }, ['top_k']);
  await expectInvalidParams(client, 'hydra_search_tool', { k: 3 }, ['query']);
  await expectInvalidParams(client, 'hydra_search_tool', { query: QUERY, traversal: 'ppr' }, ['traversal']);

  const refused = await call(client, 'hydra_search_tool', { query: QUERY, k: 1, project: 'bob' });
  expect(refused.isError).toBe(true);
  expect(textOf(refused)).toContain('bob');
  expect(textOf(refused)).toContain(tenant.project);
}

async function ingestTools(client: Client, tenant: Tenant): Promise<void> {
  const file = structured<{ files: number; unchanged: number }>(
    await call(client, 'ingest_markdown', { file_path: 'ledger.md', session_id: SESSION }),
  );
  expect(file).toMatchObject({ files: 1, unchanged: 1 });
  const absolute = structured<{ unchanged: number }>(
    await call(client, 'ingest_markdown', { file_path: path.join(tenant.kms, 'nadia.md') }),
  );
  expect(absolute.unchanged).toBe(1);
  await expectInvalidParams(client, 'ingest_markdown', {}, ['path', 'file_path']);
  await expectInvalidParams(client, 'ingest_markdown', { path: 'ledger.md', file_path: 'nadia.md' }, ['path', 'file_path']);

  const folder = structured<{ files: number }>(await call(client, 'ingest_directory_tool', { directory: '.', recursive: true }));
  expect(folder.files).toBe(Object.keys(NOTES).length);
  const desk = structured<{ files: number }>(await call(client, 'ingest_directory_tool', { directory: 'desk' }));
  expect(desk.files).toBe(1);
  const flat = await call(client, 'ingest_directory_tool', { directory: '.', recursive: false });
  expect(flat.isError).toBe(true);
  expect(textOf(flat)).toMatch(/recursive=false is not supported/);
}

async function graphTools(client: Client, tenant: Tenant): Promise<void> {
  const graph = path.join(tenant.dataDir, 'graph.db');
  const [ledger] = query<{ id: string }>(graph, "SELECT id FROM entities WHERE name = 'Ledger Service' AND user_id IS NULL");
  const ledgerId = ledger?.id ?? '';
  const expected = hopsFrom(tenant, ledgerId, 2);
  expect(expected.get('Treasury Desk')).toBe(2);

  type Neighbours = { hops: number; neighbours: Array<{ name: string; hops: number; via: string | null }> };
  const near = structured<Neighbours>(await call(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, hops: 1 }));
  const oneHop = [...expected].filter(([, hop]) => hop === 1).map(([name]) => name);
  expect([...new Set(near.neighbours.map((n) => n.name))].sort()).toEqual(oneHop.sort());
  const far = structured<Neighbours>(await call(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, hops: 2 }));
  expect(far.hops).toBe(2);
  expect(new Map(far.neighbours.map((n) => [n.name, n.hops]))).toEqual(expected);
  const [nadia] = query<{ id: string }>(graph, "SELECT id FROM entities WHERE name = 'Nadia Kim' AND user_id IS NULL");
  expect(far.neighbours.find((n) => n.name === 'Treasury Desk')?.via).toBe(nadia?.id);
  expect(far.neighbours.filter((n) => n.hops === 1).every((n) => n.via === null)).toBe(true);

  // as_of: before the notes were first ingested nothing held; an instant in the future is now.
  const [{ first } = { first: '' }] = query<{ first: string }>(graph, 'SELECT MIN(valid_from) AS first FROM relations');
  const before = new Date(new Date(first.replace(/(\.\d{3})\d+/, '$1')).getTime() - 60_000).toISOString();
  const past = structured<Neighbours>(await call(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, as_of: before }));
  expect(past.neighbours).toEqual([]);
  const future = structured<Neighbours>(
    await call(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, as_of: '2999-01-01T00:00:00Z' }),
  );
  expect(future.neighbours).toEqual(near.neighbours);
  await expectInvalidParams(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, as_of: 'last tuesday' }, ['as_of']);
  await expectInvalidParams(client, 'get_entity_neighbors_tool', { entity_id: ledgerId, hops: 9 }, ['hops']);
  await expectInvalidParams(client, 'get_entity_neighbors_tool', { entity: 'Nadia Kim', entity_id: ledgerId }, [
    'entity',
    'entity_id',
  ]);

  const listed = structured<{ total: number }>(await call(client, 'list_entities_tool', { project: tenant.project }));
  expect(listed.total).toBe(query(graph, 'SELECT 1 FROM entities WHERE user_id IS NULL').length);
  const stats = structured<{ graph: { documents: number } }>(
    await call(client, 'hydramem_stats_tool', { days: 7, project: tenant.project }),
  );
  expect(stats.graph.documents).toBe(Object.keys(NOTES).length);
}

async function otherTools(client: Client): Promise<void> {
  const remembered = structured<{ ok: number }>(
    await call(client, 'remember', { text: 'Reconciliation reports go out as CSV.', source: 'chat-note', session_id: SESSION }),
  );
  expect(remembered.ok).toBe(1);
  structured(await call(client, 'run_night_gardener', { session_id: SESSION }));
  structured(await call(client, 'get_garden_status_tool', { session_id: SESSION }));
}

async function exercise(client: Client, tenant: Tenant): Promise<void> {
  await expectSchemas(client);
  await searchTools(client, tenant);
  await ingestTools(client, tenant);
  await graphTools(client, tenant);
  await otherTools(client);
}

/** session_id as the agent gave it on the events rows and the query log, as the Python server records it. */
function expectSessionRecorded(tenant: Tenant): void {
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const events = query<{ tool_name: string; metadata_json: string }>(
    metrics,
    'SELECT tool_name, metadata_json FROM events WHERE session_id = ? ORDER BY id',
    SESSION,
  );
  expect(events.map((e) => e.tool_name)).toEqual(['hydra_search_tool', 'ingest_markdown', 'remember', 'run_night_gardener']);
  expect(JSON.parse(events[2]?.metadata_json ?? '{}').source).toBe('chat-note');
  expect(query(metrics, 'SELECT query FROM query_log WHERE session_id = ?', SESSION)).toEqual([{ query: QUERY }]);
  // The refused call for project bob left no search behind: two answered searches in all.
  expect(query(metrics, 'SELECT 1 FROM query_log WHERE project = ?', tenant.project)).toHaveLength(2);
  expect(query(metrics, "SELECT 1 FROM query_log WHERE project = 'bob'")).toHaveLength(0);
}

describe('MCP with the Python HydraMem argument shapes', () => {
  it('answers them over stdio', async () => {
    const tenant = makeTenant('py-stdio');
    seed(tenant);
    await withStdioClient(tenant, 'python-style-agent', (client) => exercise(client, tenant));
    expectSessionRecorded(tenant);
  });

  it('answers them over Streamable HTTP', async () => {
    const tenant = makeTenant('py-http');
    seed(tenant);
    await withHttpClient(tenant, (client) => exercise(client, tenant));
    expectSessionRecorded(tenant);
  });
});
