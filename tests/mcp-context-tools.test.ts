import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { textConflicts } from '../lib/engine/text-conflicts';
import { withHttpClient, withStdioClient } from './stdio-client';
import { makeTenant, query, writeFile, type Tenant } from './helpers';

/**
 * A chain Alpha Gateway —OWNER→ Bravo Team —REPORTS_TO→ Charlie Desk ←BACKS_UP— Delta Archive
 * (front-matter relations only, so no other edge joins them), an isolated Echo Lab, a service
 * whose notes disagree on a dependency, and a runbook of three sections (three chunks).
 */
const GUIDE_BODY =
  '# Runbook Guide\n\nStart with the checklist.\n\n## Paging\n\nPage the on-call engineer.\n\n## Rollback\n\nRoll back the last deploy.';
/** One section of six paragraphs: with 50-token chunks it is cut into overlapping pieces. */
const LONG_BODY = [
  '# Long Notes',
  ...['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].map(
    (nth) => `This is the ${nth} paragraph of the long notes, written to fill one chunk piece by piece.`,
  ),
].join('\n\n');
const NOTES: Record<string, string> = {
  'alpha.md':
    '---\ntitle: Alpha Gateway\ntype: service\nowner: "[[Bravo Team]]"\n---\n# Alpha Gateway\n\nThe gateway routes requests.\n',
  'bravo.md':
    '---\ntitle: Bravo Team\ntype: team\nreports_to: "[[Charlie Desk]]"\n---\n# Bravo Team\n\nThe team keeps the gateway up.\n',
  'charlie.md': '---\ntitle: Charlie Desk\ntype: team\n---\n# Charlie Desk\n\nThe desk approves budgets.\n',
  'delta.md':
    '---\ntitle: Delta Archive\ntype: system\nbacks_up: "[[Charlie Desk]]"\n---\n# Delta Archive\n\nThe archive keeps old records.\n',
  'echo.md': '---\ntitle: Echo Lab\ntype: team\n---\n# Echo Lab\n\nThe lab works alone.\n',
  'foxtrot.md': '---\ntitle: Foxtrot Service\ndepends_on: "[[Golf Store]]"\n---\n# Foxtrot Service\n\nThe service sends mail.\n',
  'foxtrot-old.md':
    '---\ntitle: Foxtrot Service\nnot_depends_on: "[[Golf Store]]"\n---\n# Foxtrot Service\n\nAn older page about the service.\n',
  'guide.md': `---\ntitle: Runbook Guide\ntype: runbook\n---\n${GUIDE_BODY}\n`,
  'long.md': `---\ntitle: Long Notes\n---\n${LONG_BODY}\n`,
};
const CONTEXT_TOOLS = [
  'priming_context_tool',
  'expand_context_tool',
  'graph_only_search_tool',
  'trace_path_tool',
  'get_full_document_tool',
  'verify_relation_tool',
  'check_conflict_tool',
  'train_gnn_tool',
];
const SESSION = 'context-agent-session-3';
/** The private memory of user X; user Y must never see it. */
const SECRET = 'Zyphor Vault';
const X = { user_id: 'xavier' };
const Y = { user_id: 'yolanda' };

type CallResult = Awaited<ReturnType<Client['callTool']>>;
interface Entity {
  id: string;
  name: string;
  type: string;
  hops: number;
  via: string | null;
}
interface Context {
  chunks: Array<{ id: string; source: string; text: string }>;
  context: string;
  entities: Entity[];
}

function textOf(result: CallResult): string {
  return (result.content as Array<{ text?: string }>)[0]?.text ?? '';
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallResult> {
  return client.callTool({ name, arguments: args });
}

/** A successful call's structured result, the same JSON as its text. */
async function answer<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await call(client, name, args);
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(result.structuredContent).toEqual(JSON.parse(textOf(result)));
  return result.structuredContent as T;
}

async function protocolError(client: Client, name: string, args: Record<string, unknown>): Promise<McpError> {
  const error = await call(client, name, args).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

async function expectInvalidParams(client: Client, name: string, args: Record<string, unknown>, field: string) {
  const error = await protocolError(client, name, args);
  expect(error.code).toBe(-32602);
  expect(error.message).toContain(field);
}

function entityId(tenant: Tenant, name: string): string {
  const rows = query<{ id: string }>(
    path.join(tenant.dataDir, 'graph.db'),
    'SELECT id FROM entities WHERE name = ? AND user_id IS NULL',
    name,
  );
  return rows[0]?.id ?? '';
}

const hopsByName = (entities: Entity[]) => Object.fromEntries(entities.map((entity) => [entity.name, entity.hops]));

async function listsTheTools(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  for (const name of CONTEXT_TOOLS) {
    expect(byName.get(name)?.annotations, name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get(name)?.outputSchema?.type, name).toBe('object');
  }
  expect(Object.keys(byName.get('verify_relation_tool')?.inputSchema.properties ?? {})).toEqual(
    expect.arrayContaining(['from_entity', 'to_entity', 'relation_type', 'source_text', 'target_text', 'confidence']),
  );
}

async function priming(client: Client, tenant: Tenant): Promise<void> {
  const primed = await answer<Context>(client, 'priming_context_tool', { query: 'Alpha Gateway', k: 1, session_id: SESSION });
  expect(primed.chunks.map((chunk) => chunk.source)).toEqual(['alpha.md']);
  // The chunk mentions Alpha Gateway only; its one neighbour is Bravo Team (OWNER), reached from it.
  expect(hopsByName(primed.entities)).toEqual({ 'Alpha Gateway': 0, 'Bravo Team': 1 });
  expect(primed.entities.find((entity) => entity.name === 'Bravo Team')?.via).toBe(entityId(tenant, 'Alpha Gateway'));
  expect(primed.context).toMatch(/^\[1\] alpha\.md — # Alpha Gateway The gateway routes requests\.\n/);
  expect(primed.context).toContain(
    'Related entities:\n- Alpha Gateway (service)\n- Bravo Team (team): Alpha Gateway OWNER Bravo Team',
  );
  const three = await answer<Context>(client, 'priming_context_tool', { query: 'team desk gateway archive' });
  expect(three.chunks).toHaveLength(3);
  expect(new Set(three.entities.map((entity) => entity.id)).size).toBe(three.entities.length);
  await expectInvalidParams(client, 'priming_context_tool', { query: 'x', k: 51 }, 'k');
}

async function expand(client: Client): Promise<void> {
  const one = await answer<Context & { start: Entity[] }>(client, 'expand_context_tool', {
    entity_ids: ['Alpha Gateway'],
    hops: 1,
    session_id: SESSION,
  });
  expect(hopsByName(one.entities)).toEqual({ 'Alpha Gateway': 0, 'Bravo Team': 1 });
  expect(one.chunks.map((chunk) => chunk.source)).toEqual(['alpha.md', 'bravo.md']);
  const two = await answer<Context>(client, 'expand_context_tool', { entity_ids: ['Alpha Gateway'] });
  expect(hopsByName(two.entities)).toEqual({ 'Alpha Gateway': 0, 'Bravo Team': 1, 'Charlie Desk': 2 });
  expect(two.chunks.map((chunk) => chunk.source)).toEqual(['alpha.md', 'bravo.md', 'charlie.md']);
  expect(two.context).toContain('- Charlie Desk (team): Bravo Team REPORTS_TO Charlie Desk');

  const unknown = await call(client, 'expand_context_tool', { entity_ids: ['Alpha Gateway', 'Nope Thing'] });
  expect(unknown.isError).toBe(true);
  expect(textOf(unknown)).toMatch(/No entity "Nope Thing"/);
  await expectInvalidParams(client, 'expand_context_tool', { entity_ids: [] }, 'entity_ids');
  await expectInvalidParams(client, 'expand_context_tool', { entity_ids: ['Alpha Gateway'], hops: 4 }, 'hops');
}

async function graphOnly(client: Client): Promise<void> {
  type Found = { seeds: Array<{ name: string }>; results: Array<{ source: string }> };
  const walk = await answer<Found>(client, 'graph_only_search_tool', {
    query: 'what does Bravo Team do',
    hops: 1,
    session_id: SESSION,
  });
  expect(walk.seeds.map((seed) => seed.name)).toEqual(['Bravo Team']);
  // Bravo's own chunk counts in full, its neighbours' at half.
  expect(walk.results[0]?.source).toBe('bravo.md');
  expect(walk.results.map((hit) => hit.source).sort()).toEqual(['alpha.md', 'bravo.md', 'charlie.md']);
  const top = await answer<Found>(client, 'graph_only_search_tool', { query: 'Bravo Team', k: 1 });
  expect(top.results.map((hit) => hit.source)).toEqual(['bravo.md']);
  // "budgets" is only a word in charlie.md: full-text finds it, the graph arm alone does not.
  // (The dense arm adds the other notes after it, by meaning, with no text match.)
  const text = await answer<{ results: Array<{ source: string; why: { textRank: number | null } }> }>(
    client,
    'hydra_search_tool',
    { query: 'budgets' },
  );
  expect(text.results[0]?.source).toBe('charlie.md');
  expect(text.results.filter((hit) => hit.why.textRank !== null).map((hit) => hit.source)).toEqual(['charlie.md']);
  expect(await answer<Found>(client, 'graph_only_search_tool', { query: 'budgets' })).toMatchObject({ seeds: [], results: [] });
}

async function tracePath(client: Client, tenant: Tenant): Promise<void> {
  type Path = { found: boolean; path: Array<{ name: string }>; relations: unknown[]; length: number | null };
  const chain = await answer<Path>(client, 'trace_path_tool', {
    from_entity: 'Alpha Gateway',
    to_entity: entityId(tenant, 'Delta Archive'),
    session_id: SESSION,
  });
  expect(chain.found).toBe(true);
  expect(chain.path.map((entity) => entity.name)).toEqual(['Alpha Gateway', 'Bravo Team', 'Charlie Desk', 'Delta Archive']);
  expect(chain.length).toBe(3);
  expect(chain.relations).toEqual([
    expect.objectContaining({ type: 'OWNER', from_name: 'Alpha Gateway', to_name: 'Bravo Team', direction: 'forward' }),
    expect.objectContaining({ type: 'REPORTS_TO', from_name: 'Bravo Team', to_name: 'Charlie Desk', direction: 'forward' }),
    expect.objectContaining({ type: 'BACKS_UP', from_name: 'Delta Archive', to_name: 'Charlie Desk', direction: 'backward' }),
  ]);
  const none = await answer<Path>(client, 'trace_path_tool', { from_entity: 'Alpha Gateway', to_entity: 'Echo Lab' });
  expect(none).toMatchObject({ found: false, path: [], relations: [], length: null });
  const unknown = await call(client, 'trace_path_tool', { from_entity: 'Alpha Gateway', to_entity: 'Nope Thing' });
  expect(unknown.isError).toBe(true);
  expect(textOf(unknown)).toContain('"Nope Thing"');
}

async function fullDocument(client: Client, tenant: Tenant): Promise<void> {
  const graph = path.join(tenant.dataDir, 'graph.db');
  const [guide] = query<{ id: string; chunks: number }>(
    graph,
    "SELECT d.id, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id) AS chunks FROM documents d WHERE d.path = 'guide.md'",
  );
  expect(guide?.chunks).toBe(3);
  type Doc = { found: boolean; text: string; title: string; path: string; source: string; chunks: number };
  const byId = await answer<Doc>(client, 'get_full_document_tool', { doc_id: guide?.id, session_id: SESSION });
  expect(byId).toMatchObject({
    found: true,
    text: GUIDE_BODY,
    title: 'Runbook Guide',
    path: 'guide.md',
    source: 'file',
    chunks: 3,
  });
  expect(await answer<Doc>(client, 'get_full_document_tool', { doc_id: 'guide.md' })).toEqual(byId);

  // The long note's pieces repeat each other's tails; the document reads as written, once.
  const [long] = query<{ pieces: number; chars: number }>(
    graph,
    "SELECT COUNT(*) AS pieces, SUM(length(c.text)) AS chars FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = 'long.md'",
  );
  expect(long?.pieces).toBeGreaterThan(2);
  expect(long?.chars).toBeGreaterThan(LONG_BODY.length);
  expect((await answer<Doc>(client, 'get_full_document_tool', { doc_id: 'long.md' })).text).toBe(LONG_BODY);
  expect(await answer(client, 'get_full_document_tool', { doc_id: 'nope.md' })).toEqual({ found: false, doc_id: 'nope.md' });
}

async function verify(client: Client): Promise<void> {
  type Verdict = {
    verdict: string;
    support: { relations: number; documents: number; sources: string[] };
    contradictions: Array<{ type: string; kind: string }>;
    texts: { source_mentions_from: boolean | null; target_mentions_to: boolean | null };
    reasons: string[];
  };
  const owner = { from_entity: 'Alpha Gateway', to_entity: 'Bravo Team' };
  const backed = await answer<Verdict>(client, 'verify_relation_tool', {
    ...owner,
    relation_type: 'owner',
    source_text: 'The Alpha Gateway routes requests.',
    target_text: 'Someone else is on call.',
    session_id: SESSION,
  });
  expect(backed).toMatchObject({ verdict: 'supported', support: { relations: 1, documents: 1, sources: ['alpha.md'] } });
  expect(backed.texts).toEqual({ source_mentions_from: true, target_mentions_to: false });
  expect(backed.reasons).toContain('target_text does not mention Bravo Team');

  const unbacked = await answer<Verdict>(client, 'verify_relation_tool', { ...owner, relation_type: 'REPORTS_TO' });
  expect(unbacked).toMatchObject({ verdict: 'unsupported', support: { documents: 0 }, contradictions: [] });
  expect(unbacked.texts).toEqual({ source_mentions_from: null, target_mentions_to: null });

  // OWNER is one-way: Bravo owning Alpha breaks Alpha owning Bravo.
  const reversed = await answer<Verdict>(client, 'verify_relation_tool', {
    from_entity: 'Bravo Team',
    to_entity: 'Alpha Gateway',
    relation_type: 'OWNER',
  });
  expect(reversed.verdict).toBe('contradicted');
  expect(reversed.contradictions).toEqual([expect.objectContaining({ type: 'OWNER', kind: 'reversed' })]);

  // foxtrot.md says it depends on Golf Store, foxtrot-old.md that it does not.
  const disputed = await answer<Verdict>(client, 'verify_relation_tool', {
    from_entity: 'Foxtrot Service',
    to_entity: 'Golf Store',
    relation_type: 'depends on',
  });
  expect(disputed).toMatchObject({ verdict: 'disputed', support: { documents: 1, sources: ['foxtrot.md'] } });
  expect(disputed.contradictions).toEqual([expect.objectContaining({ type: 'NOT_DEPENDS_ON', kind: 'negated' })]);
  await expectInvalidParams(client, 'verify_relation_tool', { ...owner, relation_type: 'OWNER', confidence: 2 }, 'confidence');
}

async function conflicts(client: Client): Promise<void> {
  type Check = { verdict: string; conflicts: Array<{ source: string; kind: string }>; evidence: Array<{ type: string }> };
  const bravo = { entity_a: 'Bravo Team', entity_b: 'Charlie Desk' };
  const negated = await answer<Check>(client, 'check_conflict_tool', {
    ...bravo,
    text_a: 'Bravo Team reports to Charlie Desk.',
    text_b: 'Bravo Team no longer reports to Charlie Desk.',
    session_id: SESSION,
  });
  expect(negated.verdict).toBe('conflict');
  expect(negated.conflicts).toEqual([expect.objectContaining({ source: 'texts', kind: 'negation' })]);
  expect(negated.evidence.map((row) => row.type)).toEqual(['REPORTS_TO']);

  const calm = await answer<Check>(client, 'check_conflict_tool', {
    ...bravo,
    text_a: 'Bravo Team reports to Charlie Desk.',
    text_b: 'Bravo Team approves budgets.',
  });
  expect(calm).toMatchObject({ verdict: 'no_conflict', conflicts: [] });

  const values = await answer<Check>(client, 'check_conflict_tool', {
    entity_a: 'Alpha Gateway',
    entity_b: 'Bravo Team',
    text_a: 'The owner of the Alpha Gateway is Bravo Team.',
    text_b: 'The owner of the Alpha Gateway is Charlie Desk.',
  });
  expect(values.conflicts).toEqual([expect.objectContaining({ source: 'texts', kind: 'different_value' })]);

  const graphOnly = await answer<Check>(client, 'check_conflict_tool', {
    entity_a: 'Foxtrot Service',
    entity_b: 'Golf Store',
    text_a: 'Foxtrot Service sends mail.',
    text_b: 'Golf Store keeps parcels.',
  });
  expect(graphOnly.verdict).toBe('conflict');
  expect(graphOnly.conflicts).toEqual([expect.objectContaining({ source: 'graph', kind: 'negated' })]);
  expect(graphOnly.evidence.map((row) => row.type).sort()).toEqual(['DEPENDS_ON', 'NOT_DEPENDS_ON']);
  await expectInvalidParams(client, 'check_conflict_tool', { ...bravo, text_a: 'x'.repeat(20_001), text_b: 'y' }, 'text_a');
}

async function trainGnn(client: Client): Promise<void> {
  const refused = await protocolError(client, 'train_gnn_tool', { dry_run: true });
  expect(refused.code).toBe(-32600);
  expect(refused.message).toMatch(/train_gnn_tool is not offered: this writer has no graph neural network/);
  await expectInvalidParams(client, 'train_gnn_tool', { dry_run: 'yes' }, 'dry_run');
}

/** X's private memory reaches X's answers, and none of Y's: priming, expand, trace, graph-only and the full document. */
async function privateMemory(client: Client): Promise<void> {
  const kept = await answer<{ doc_id: string }>(client, 'remember', {
    text: `${SECRET} keeps the [[Alpha Gateway]] keys.`,
    ...X,
  });
  const mine = await answer<Context>(client, 'priming_context_tool', { query: SECRET, ...X });
  expect(mine.chunks.map((chunk) => chunk.text).join(' ')).toContain(SECRET);
  expect((await answer<Context>(client, 'expand_context_tool', { entity_ids: [SECRET], ...X })).chunks).not.toEqual([]);
  const myPath = await answer<{ path: Array<{ name: string }> }>(client, 'trace_path_tool', {
    from_entity: SECRET,
    to_entity: 'Alpha Gateway',
    ...X,
  });
  expect(myPath.path.map((entity) => entity.name)).toEqual([SECRET, 'Alpha Gateway']);
  expect(await answer(client, 'get_full_document_tool', { doc_id: kept.doc_id, ...X })).toMatchObject({ found: true });

  const theirs = [
    await call(client, 'priming_context_tool', { query: SECRET, k: 50, ...Y }),
    await call(client, 'graph_only_search_tool', { query: `${SECRET} Alpha Gateway`, k: 50, ...Y }),
    await call(client, 'expand_context_tool', { entity_ids: ['Alpha Gateway'], hops: 3, limit: 50, ...Y }),
    await call(client, 'get_full_document_tool', { doc_id: kept.doc_id, ...Y }),
    await call(client, 'verify_relation_tool', {
      from_entity: 'Alpha Gateway',
      to_entity: 'Bravo Team',
      relation_type: 'OWNER',
      ...Y,
    }),
  ];
  for (const result of theirs) expect(result.isError, textOf(result)).toBeFalsy();
  for (const result of theirs) expect(textOf(result).replaceAll(`"query": "${SECRET}`, '')).not.toContain('Zyphor');
  expect(theirs[3]?.structuredContent).toEqual({ found: false, doc_id: kept.doc_id });
  for (const tool of ['expand_context_tool', 'trace_path_tool'] as const) {
    const args = tool === 'expand_context_tool' ? { entity_ids: [SECRET] } : { from_entity: SECRET, to_entity: 'Alpha Gateway' };
    const refused = await call(client, tool, { ...args, ...Y });
    expect(refused.isError, tool).toBe(true);
    expect(textOf(refused), tool).toContain(`No entity "${SECRET}"`);
  }
}

async function exercise(client: Client, tenant: Tenant): Promise<void> {
  await listsTheTools(client);
  await priming(client, tenant);
  await expand(client);
  await graphOnly(client);
  await tracePath(client, tenant);
  await fullDocument(client, tenant);
  await verify(client);
  await conflicts(client);
  await trainGnn(client);
  await privateMemory(client);
}

function newTenant(name: string): Tenant {
  const tenant = makeTenant(name, { HYDRAMEM_CHUNK_TOKENS: '50' });
  for (const [file, text] of Object.entries(NOTES)) writeFile(tenant.kms, file, text);
  return tenant;
}

/** One events row per tracked call with the agent's session id; the three searches also in query_log. */
function expectTelemetry(tenant: Tenant): void {
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const events = query<{ tool_name: string }>(metrics, 'SELECT tool_name FROM events WHERE session_id = ? ORDER BY id', SESSION);
  expect(events.map((event) => event.tool_name)).toEqual(CONTEXT_TOOLS.filter((tool) => tool !== 'train_gnn_tool'));
  const searches = query<{ tool: string; result_count: number }>(
    metrics,
    'SELECT tool, result_count FROM query_log WHERE session_id = ? ORDER BY id',
    SESSION,
  );
  expect(searches).toEqual([
    { tool: 'priming_context_tool', result_count: 1 },
    { tool: 'expand_context_tool', result_count: 2 },
    { tool: 'graph_only_search_tool', result_count: 3 },
  ]);
}

describe('context, path, document and verdict tools', () => {
  it('answers over stdio', async () => {
    const tenant = newTenant('ctx-stdio');
    await withStdioClient(tenant, 'context-agent', (client) => exercise(client, tenant));
    expectTelemetry(tenant);
  });

  it('answers over Streamable HTTP', async () => {
    const tenant = newTenant('ctx-http');
    await withHttpClient(tenant, (client) => exercise(client, tenant));
    expectTelemetry(tenant);
  });
});

describe('the text conflict rule', () => {
  const names = ['Ledger Service', 'Nadia Kim'];
  const kinds = (a: string, b: string) => textConflicts(a, b, names).map((conflict) => conflict.kind);

  it('finds one text negating the other, contractions included', () => {
    expect(kinds('Nadia Kim owns the Ledger Service.', 'Nadia Kim no longer owns the Ledger Service.')).toEqual(['negation']);
    expect(kinds('The Ledger Service is stable.', "The Ledger Service isn't stable.")).toEqual(['negation']);
    expect(kinds('Nadia Kim does not own the Ledger Service.', 'Nadia Kim owns the Ledger Service.')).toEqual(['negation']);
  });

  it('finds different values for the same attribute', () => {
    expect(kinds('Ledger Service status: active', 'Ledger Service status: retired')).toEqual(['different_value']);
    expect(kinds('The owner of the Ledger Service is Nadia Kim.', 'The owner of the Ledger Service is Omar Diaz.')).toEqual([
      'different_value',
    ]);
  });

  it('leaves statements that differ in substance, agree, or name no attribute alone', () => {
    expect(kinds('Nadia Kim owns the Ledger Service.', 'Nadia Kim does not own the Treasury Desk.')).toEqual([]);
    expect(kinds('Ledger Service status: active', 'Ledger Service status: active.')).toEqual([]);
    expect(kinds('The Ledger Service is fast.', 'The Ledger Service is written in Go.')).toEqual([]);
    expect(kinds('Nadia Kim is not here.', 'Nadia Kim is not here.')).toEqual([]);
  });
});
