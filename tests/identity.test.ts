import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../lib/engine/engine';
import { GRAPH_MIGRATIONS } from '../lib/store/graph-schema';
import {
  connectHttp,
  createApiKey,
  makeTenant,
  query,
  runCli,
  startCli,
  startHttpWriter,
  stopProcess,
  writeFile,
  type Tenant,
} from './helpers';

/** Words only Alice's private memories and preference hold. */
const ALICE_CHAT = ['Zorblax', 'Quintessa'];
const ALICE_WORK = ['Vexmoor', 'Trellisande'];
const ALICE_PREFERENCE = ['Quokkafern'];
const ALICE_SECRETS = [...ALICE_CHAT, ...ALICE_WORK, ...ALICE_PREFERENCE];
const BOB_SECRETS = ['Pemberwick'];

type ToolAnswer = Awaited<ReturnType<Client['callTool']>> & { echo?: string[] };
const textOf = (answer: ToolAnswer): string => JSON.stringify({ ...answer, echo: undefined });
/** The hidden words in an answer, besides what the call itself asked for (a tool may repeat its query). */
const found = (answer: ToolAnswer, words: readonly string[]): string[] => {
  const text = (answer.echo ?? []).reduce((rest, asked) => rest.split(asked).join(''), textOf(answer));
  return words.filter((word) => text.includes(word));
};

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  const answer: ToolAnswer = await client.callTool({ name, arguments: args });
  answer.echo = Object.values(args).filter((value): value is string => typeof value === 'string');
  return answer;
}

function seedNotes(tenant: Tenant): void {
  writeFile(
    tenant.kms,
    'ledger.md',
    '---\ntitle: Ledger Service\ntype: service\n---\n# Ledger Service\n\nThe ledger reconciles payments nightly.\n',
  );
  writeFile(tenant.kms, 'nadia.md', '# Nadia Kim\n\nNadia runs the [[Ledger Service]].\n');
}

/** Every file under a folder, as bytes. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return entry.isFile() ? [{ file, bytes: fs.readFileSync(file) }] : [];
  });
}

describe('two users and two memories over HTTP with API keys', () => {
  let tenant: Tenant;
  let writer: ReturnType<typeof startCli>;
  let port: number;
  const keys: Record<'service' | 'alice' | 'bob' | 'reader', { id: string; key: string; prefix: string }> = {} as never;

  beforeAll(async () => {
    tenant = makeTenant('ident');
    seedNotes(tenant);
    keys.service = createApiKey(tenant, 'memory:*', ['--name', 'back office']);
    keys.alice = createApiKey(tenant, 'memory:read,memory:add', ['--user', 'alice@example.com']);
    keys.bob = createApiKey(tenant, 'memory:read,memory:add', ['--user', 'bob@example.com']);
    keys.reader = createApiKey(tenant, 'memory:read');
    ({ writer, port } = await startHttpWriter(tenant));

    const alice = await connectHttp(port, keys.alice.key);
    expect(
      (
        await call(alice, 'remember', {
          text: 'Zorblax Quintessa runs the kelp audit with the Ledger Service.',
          memory_id: 'chat',
        })
      ).isError,
    ).toBeFalsy();
    expect(
      (await call(alice, 'remember', { text: 'Vexmoor Trellisande owns the night shift.', memory_id: 'work' })).isError,
    ).toBeFalsy();
    const preference = await call(alice, 'add_preference', {
      category: 'dashboards',
      text: 'Quokkafern colours everywhere',
      applies_to: [{ name: 'Ledger Service', type: 'service' }],
    });
    expect(preference.isError).toBeFalsy();
    await alice.close();
    const bob = await connectHttp(port, keys.bob.key);
    expect((await call(bob, 'remember', { text: 'The Pemberwick locker holds the spare keys.' })).isError).toBeFalsy();
    await bob.close();
  }, 60_000);

  afterAll(async () => {
    await stopProcess(writer);
  });

  /** Every tool a reader could use to reach Alice's memories, with arguments aimed at them. */
  async function probes(client: Client, extra: Record<string, unknown> = {}): Promise<ToolAnswer[]> {
    const answers: ToolAnswer[] = [];
    for (const word of [...ALICE_SECRETS, 'kelp audit', 'night shift', 'Ledger Service']) {
      answers.push(await call(client, 'hydra_search_tool', { query: word, ...extra }));
      answers.push(await call(client, 'list_entities_tool', { query: word, ...extra }));
      answers.push(await call(client, 'get_entity_neighbors_tool', { entity: word, ...extra }));
      answers.push(await call(client, 'priming_context_tool', { query: word, k: 50, ...extra }));
      answers.push(await call(client, 'graph_only_search_tool', { query: word, k: 50, ...extra }));
      answers.push(await call(client, 'trace_path_tool', { from_entity: word, to_entity: 'Ledger Service', ...extra }));
    }
    answers.push(await call(client, 'expand_context_tool', { entity_ids: ['Ledger Service'], hops: 3, limit: 50, ...extra }));
    answers.push(await call(client, 'list_entities_tool', { limit: 1000, ...extra }));
    answers.push(await call(client, 'get_entity_neighbors_tool', { entity: 'Ledger Service', limit: 100, ...extra }));
    answers.push(await call(client, 'hydramem_stats_tool', extra));
    answers.push(await call(client, 'get_preferences_for', { active_only: false, ...extra }));
    answers.push(await call(client, 'get_garden_status_tool', extra));
    answers.push(await call(client, 'export_graph', { issuer: 'probe' }));
    return answers;
  }

  it('user B, an unscoped caller and another memory of A see none of A’s private memory', async () => {
    const cases: Array<{
      who: string;
      key: string;
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
      hidden: string[];
    }> = [
      { who: 'bob (user-bound key)', key: keys.bob.key, hidden: ALICE_SECRETS },
      { who: 'service key, no end user', key: keys.service.key, hidden: [...ALICE_SECRETS, ...BOB_SECRETS] },
      {
        who: 'service key for bob',
        key: keys.service.key,
        headers: { 'x-end-user-id': 'bob@example.com' },
        hidden: ALICE_SECRETS,
      },
      { who: 'read-only key', key: keys.reader.key, hidden: [...ALICE_SECRETS, ...BOB_SECRETS] },
      { who: 'alice, memory work', key: keys.alice.key, extra: { memory_id: 'work' }, hidden: ALICE_CHAT },
      { who: 'alice, memory chat', key: keys.alice.key, extra: { memory_id: 'chat' }, hidden: [...ALICE_WORK, ...BOB_SECRETS] },
    ];
    for (const probe of cases) {
      const client = await connectHttp(port, probe.key, probe.headers);
      for (const answer of await probes(client, probe.extra)) expect(found(answer, probe.hidden), probe.who).toEqual([]);
      await client.close();
    }
    // The positive control: the same probes as Alice find what she wrote.
    const alice = await connectHttp(port, keys.alice.key);
    const all = (await probes(alice)).map(textOf).join('\n');
    for (const word of ALICE_SECRETS) expect(all, word).toContain(word);
    const neighbours = await call(alice, 'get_entity_neighbors_tool', { entity: 'Zorblax Quintessa' });
    expect(neighbours.isError).toBeFalsy();
    await alice.close();
  }, 120_000);

  it('refuses what a key may not do, and records it', async () => {
    const reader = await connectHttp(port, keys.reader.key);
    const write = await call(reader, 'remember', { text: 'Nothing to see here.' });
    expect(write.isError).toBe(true);
    expect(textOf(write)).toContain('lacks the memory:add scope that remember needs');
    const garden = await call(reader, 'run_night_gardener');
    expect(textOf(garden)).toContain('lacks the memory:* scope that run_night_gardener needs');
    await reader.close();
    const bob = await connectHttp(port, keys.bob.key);
    const asAlice = await call(bob, 'hydra_search_tool', { query: 'Zorblax', user_id: 'alice@example.com' });
    expect(asAlice.isError).toBe(true);
    expect(textOf(asAlice)).toContain('acts only for user \\"bob@example.com\\"');
    const prefsOfAlice = await call(bob, 'get_preferences_for', { user_id: 'alice@example.com', active_only: false });
    expect(prefsOfAlice.isError).toBe(true);
    expect(found(prefsOfAlice, ALICE_SECRETS)).toEqual([]);
    const upsertAlice = await call(bob, 'upsert_user', { identifier: 'alice@example.com', attributes: { hacked: true } });
    expect(upsertAlice.isError).toBe(true);
    await bob.close();
    await expect(connectHttp(port, keys.bob.key, { 'x-end-user-id': 'alice@example.com' })).rejects.toThrow(/acts only for user/);

    const noKey = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toBe('Bearer realm="hydramem"');
    const bogus = await fetch(`http://127.0.0.1:${port}/mcp`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer hm_live_${'A'.repeat(43)}`, 'content-type': 'application/json' },
    });
    expect(bogus.status).toBe(401);
    expect(await bogus.text()).toContain('no such API key');
  }, 60_000);

  it('a rotated or revoked key stops at once, even inside an open session', async () => {
    const temp = createApiKey(tenant, 'memory:read');
    const open = await connectHttp(port, temp.key);
    expect((await call(open, 'hydramem_stats_tool')).isError).toBeFalsy();
    const rotated = runCli(['keys', 'rotate', temp.id, '--json'], tenant.env);
    expect(rotated.code).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as { id: string; key: string; prefix: string };
    expect(fresh.key).not.toBe(temp.key);
    await expect(call(open, 'hydramem_stats_tool')).rejects.toThrow(/rotated/);
    await expect(connectHttp(port, temp.key)).rejects.toThrow(/401|rotated/);
    const next = await connectHttp(port, fresh.key);
    expect((await call(next, 'hydramem_stats_tool')).isError).toBeFalsy();
    expect(runCli(['keys', 'revoke', fresh.id], tenant.env).code).toBe(0);
    await expect(call(next, 'hydramem_stats_tool')).rejects.toThrow(/revoked/);
    const listed = JSON.parse(runCli(['keys', 'list', '--json'], tenant.env).stdout) as Array<Record<string, unknown>>;
    const byId = new Map(listed.map((key) => [key.id, key]));
    expect(byId.get(temp.id)).toMatchObject({ replaced_by: fresh.id, revoked_at: expect.any(String) });
    expect(byId.get(fresh.id)).toMatchObject({ replaced_by: null, revoked_at: expect.any(String) });
    for (const key of listed) expect(Object.keys(key)).not.toContain('hash');
  }, 60_000);

  it('keeps no key in any file of the data directory, and records who did what', async () => {
    const data = filesUnder(tenant.dataDir);
    expect(data.length).toBeGreaterThan(2);
    for (const { key } of Object.values(keys)) for (const { file, bytes } of data) expect(bytes.includes(key), file).toBe(false);

    const client = await connectHttp(port, keys.service.key, { 'x-end-user-id': 'carol@example.com' });
    await call(client, 'remember', { text: 'Carol keeps the Hollowmere notes.' });
    await client.close();
    await stopProcess(writer);
    const metrics = path.join(tenant.dataDir, 'metrics.db');
    const audit = query<{
      actor: string;
      action: string;
      result: string;
      reason: string | null;
      key_prefix: string | null;
      end_user: string | null;
    }>(metrics, 'SELECT actor, action, result, reason, key_prefix, end_user FROM audit_log ORDER BY id');
    expect(audit).toContainEqual(expect.objectContaining({ action: 'key.create', result: 'ok', key_prefix: keys.alice.prefix }));
    expect(audit).toContainEqual({
      actor: `key:${keys.alice.prefix}`,
      action: 'memory.remember',
      result: 'ok',
      reason: null,
      key_prefix: keys.alice.prefix,
      end_user: 'alice@example.com',
    });
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'memory.remember',
        result: 'denied',
        key_prefix: keys.reader.prefix,
        reason: expect.stringContaining('memory:add'),
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'key.use',
        result: 'denied',
        reason: 'this API key was rotated: use the key that replaced it',
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'memory.search',
        result: 'ok',
        key_prefix: keys.bob.prefix,
        end_user: 'bob@example.com',
      }),
    );
    // A service key's end user is the one recorded.
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'memory.remember', key_prefix: keys.service.prefix, end_user: 'carol@example.com' }),
    );
    const searches = query<{ user_id: string | null; key_prefix: string | null; key_env: string | null }>(
      metrics,
      'SELECT DISTINCT user_id, key_prefix, key_env FROM query_log WHERE key_prefix = ?',
      keys.bob.prefix,
    );
    expect(searches).toEqual([{ user_id: 'bob@example.com', key_prefix: keys.bob.prefix, key_env: 'test' }]);
    const events = query<{ metadata_json: string }>(metrics, "SELECT metadata_json FROM events WHERE tool_name = 'remember'");
    expect(events.map((event) => JSON.parse(event.metadata_json).user_id).sort()).toEqual([
      'alice@example.com',
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
    ]);
    const used = query<{ id: string; last_used_at: string | null }>(metrics, 'SELECT id, last_used_at FROM api_keys');
    expect(used.find((row) => row.id === keys.alice.id)?.last_used_at).not.toBeNull();
    const graph = path.join(tenant.dataDir, 'graph.db');
    // Carol's memory and Alice's entities carry their scope; the users exist.
    expect(query(graph, "SELECT user_id, memory_id FROM documents WHERE user_id = 'carol@example.com'")).toEqual([
      { user_id: 'carol@example.com', memory_id: 'default' },
    ]);
    expect(
      query<{ n: number }>(graph, "SELECT COUNT(*) AS n FROM entities WHERE name LIKE '%Zorblax%' AND user_id IS NULL")[0]?.n,
    ).toBe(0);
    expect(
      query<{ identifier: string }>(graph, 'SELECT identifier FROM users ORDER BY identifier').map((row) => row.identifier),
    ).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
  }, 60_000);
});

describe('one user per write', () => {
  it('with HYDRAMEM_MULTI_USER a write without a user is refused and writes nothing', async () => {
    const tenant = makeTenant('multi', { HYDRAMEM_MULTI_USER: 'true' });
    seedNotes(tenant);
    const service = createApiKey(tenant);
    const { writer, port } = await startHttpWriter(tenant);
    try {
      const client = await connectHttp(port, service.key);
      const documents = (): number =>
        query<{ n: number }>(path.join(tenant.dataDir, 'graph.db'), 'SELECT COUNT(*) AS n FROM documents')[0]?.n ?? 0;
      const before = documents();
      for (const [tool, args] of [
        ['remember', { text: 'A note for nobody.' }],
        ['add_preference', { category: 'x', text: 'y' }],
        ['ingest_markdown', { path: 'ledger.md' }],
      ] as const) {
        const refused = await call(client, tool, args);
        expect(refused.isError, tool).toBe(true);
        expect(textOf(refused)).toContain('user_id is required');
      }
      expect(documents()).toBe(before);
      expect((await call(client, 'remember', { text: 'A note for dana.', user_id: 'dana' })).isError).toBeFalsy();
      expect(documents()).toBe(before + 1);
      await client.close();
    } finally {
      await stopProcess(writer);
    }
    // The command line refuses a preference without its user before it starts anything.
    expect(runCli(['preferences', 'add', '--category', 'x', '--text', 'y'], tenant.env).code).toBe(2);
  }, 60_000);

  it('a stdio writer with HYDRAMEM_USER acts for that user only', async () => {
    const tenant = makeTenant('stdio-user', { HYDRAMEM_USER: 'erin' });
    seedNotes(tenant);
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [path.join(__dirname, '..', 'bin', 'hydramem.cjs'), 'serve'],
        env: { ...(process.env as Record<string, string>), ...tenant.env, HYDRAMEM_TRANSPORT: 'stdio' },
        stderr: 'pipe',
      }),
    );
    const mine = await call(client, 'remember', { text: 'Erin waters the Lunewort plants.' });
    expect(JSON.parse((mine.content as Array<{ text: string }>)[0]?.text ?? '{}').scope).toEqual({
      user_id: 'erin',
      memory_id: 'default',
    });
    const other = await call(client, 'remember', { text: 'Nope.', user_id: 'frank' });
    expect(textOf(other)).toContain('acts only for user \\"erin\\"');
    await client.close();
  }, 60_000);

  it('bounds MCP sessions: the least recently used ends when the cap is reached', async () => {
    const tenant = makeTenant('sessions', { HYDRAMEM_HTTP_MAX_SESSIONS: '2' });
    seedNotes(tenant);
    const service = createApiKey(tenant);
    const { writer, port } = await startHttpWriter(tenant);
    try {
      const first = await connectHttp(port, service.key);
      const second = await connectHttp(port, service.key);
      expect((await call(first, 'hydramem_stats_tool')).isError).toBeFalsy();
      const third = await connectHttp(port, service.key);
      // `second` was used longest ago (first just made a call): it is the one that ended.
      await expect(call(second, 'hydramem_stats_tool')).rejects.toThrow(/unknown or expired session/);
      expect((await call(first, 'hydramem_stats_tool')).isError).toBeFalsy();
      expect((await call(third, 'hydramem_stats_tool')).isError).toBeFalsy();
    } finally {
      await stopProcess(writer);
    }
  }, 60_000);
});

describe('users and preferences over time', () => {
  it('upserts users idempotently and answers as-of reads on fixed timestamps', () => {
    const tenant = makeTenant('prefs');
    let now = new Date('2026-10-01T09:00:00Z');
    const engine = Engine.open(tenant.config, { command: 'test', clock: () => now });
    try {
      const first = engine.users.upsert('sara@omg.com', { role: 'manager' }, now);
      now = new Date('2026-10-02T09:00:00Z');
      const again = engine.users.upsert('sara@omg.com', { team: 'consulting' }, now);
      expect(again).toEqual({
        ...first,
        attributes: { role: 'manager', team: 'consulting' },
        last_seen_at: '2026-10-02T09:00:00.000000+00:00',
      });
      expect(engine.users.list()).toHaveLength(1);

      now = new Date('2026-10-05T10:00:00Z');
      const junior = engine.preferences.add(
        { userId: 'sara@omg.com', category: 'consultants', text: 'Junior', appliesTo: [] },
        now,
      );
      now = new Date('2026-10-10T10:00:00Z');
      const senior = engine.preferences.add(
        {
          userId: 'sara@omg.com',
          category: 'consultants',
          text: 'Senior on healthcare',
          appliesTo: [{ name: 'Healthcare', type: 'Industry' }],
        },
        now,
      );
      now = new Date('2026-10-12T10:00:00Z');
      const { superseded, by } = engine.preferences.supersede(junior.id, senior.id, 'sara@omg.com', now);
      expect(superseded).toMatchObject({
        valid_until: '2026-10-12T10:00:00.000000+00:00',
        superseded_by: senior.id,
        status: 'superseded',
      });
      expect(by).toMatchObject({ id: senior.id, status: 'active' });
      const at = (iso: string, activeOnly = true) =>
        engine.preferences
          .forUser({ userId: 'sara@omg.com', activeOnly, asOf: new Date(iso) }, now)
          .map((p) => `${p.text}:${p.status}`);
      expect(at('2026-10-04T00:00:00Z')).toEqual([]);
      expect(at('2026-10-06T00:00:00Z')).toEqual(['Junior:active']);
      expect(at('2026-10-11T00:00:00Z')).toEqual(['Junior:active', 'Senior on healthcare:active']);
      expect(at('2026-10-12T10:00:00Z')).toEqual(['Senior on healthcare:active']);
      expect(at('2026-10-13T00:00:00Z', false)).toEqual(['Junior:superseded', 'Senior on healthcare:active']);
      expect(engine.preferences.forUser({ userId: 'sara@omg.com', activeOnly: true }, now).map((p) => p.id)).toEqual([senior.id]);
      expect(
        engine.preferences
          .forUser({ userId: 'sara@omg.com', activeOnly: false, appliesTo: { name: 'healthcare' } }, now)
          .map((p) => p.id),
      ).toEqual([senior.id]);
      expect(() => engine.preferences.supersede(junior.id, senior.id, 'sara@omg.com', now)).toThrow(/already superseded/);
      expect(() => engine.preferences.supersede(senior.id, junior.id, 'liam@omg.com', now)).toThrow(/sara@omg.com|user "liam/);
    } finally {
      engine.close();
    }
  });

  it('the command line upserts, lists and shows users, and adds, supersedes and lists preferences', () => {
    const tenant = makeTenant('cli-users');
    expect(runCli(['users', 'upsert', 'liam@omg.com', '--attr', 'role=consultant'], tenant.env).code).toBe(0);
    expect(runCli(['users', 'upsert', 'liam@omg.com', '--attr', 'team=fintech'], tenant.env).code).toBe(0);
    const shown = JSON.parse(runCli(['users', 'show', 'liam@omg.com', '--json'], tenant.env).stdout);
    expect(shown.attributes).toEqual({ role: 'consultant', team: 'fintech' });
    expect(JSON.parse(runCli(['users', 'list', '--json'], tenant.env).stdout)).toHaveLength(1);
    const add = (text: string) =>
      JSON.parse(
        runCli(['preferences', 'add', '--user', 'liam@omg.com', '--category', 'teams', '--text', text, '--json'], tenant.env)
          .stdout,
      ) as { id: string };
    const old = add('Fintech only');
    const fresh = add('Fintech and insurance');
    expect(runCli(['preferences', 'supersede', old.id, fresh.id], tenant.env).code).toBe(0);
    const active = JSON.parse(runCli(['preferences', 'list', '--user', 'liam@omg.com', '--json'], tenant.env).stdout) as Array<{
      id: string;
    }>;
    expect(active.map((p) => p.id)).toEqual([fresh.id]);
    const history = JSON.parse(
      runCli(['preferences', 'list', '--user', 'liam@omg.com', '--all', '--json'], tenant.env).stdout,
    ) as Array<{ id: string; status: string }>;
    expect(history.map((p) => [p.id, p.status])).toEqual([
      [old.id, 'superseded'],
      [fresh.id, 'active'],
    ]);
    const bad = runCli(['preferences', 'list', '--user', 'liam@omg.com', '--as-of', 'yesterday'], tenant.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be an ISO-8601 instant/);
    const audit = query<{ action: string }>(
      path.join(tenant.dataDir, 'metrics.db'),
      'SELECT action FROM audit_log ORDER BY id',
    ).map((row) => row.action);
    expect(audit).toEqual(['user.upsert', 'user.upsert', 'preference.add', 'preference.add', 'preference.supersede']);
  });
});

describe('a graph from before scopes', () => {
  it('moves what a private memory taught the graph into its scope on the first start, and nothing else', () => {
    const tenant = makeTenant('old');
    fs.mkdirSync(tenant.dataDir, { recursive: true });
    const file = path.join(tenant.dataDir, 'graph.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(GRAPH_MIGRATIONS[0] as string);
    old.exec(GRAPH_MIGRATIONS[1] as string);
    old.pragma('user_version = 2');
    old.exec(fs.readFileSync(path.join(__dirname, 'fixtures', 'graph-v2-private-memory.sql'), 'utf8'));
    old.close();
    const shared = (sql: string) => query<{ name: string }>(file, sql).map((row) => row.name);
    expect(shared("SELECT name FROM entities WHERE name LIKE 'Zorblax%'")).toEqual(['Zorblax Quintessa']);

    const engine = Engine.open(tenant.config, { command: 'test' });
    try {
      expect(engine.entities({ query: 'zorblax', limit: 10, offset: 0 }, { userId: null, memoryId: null }).total).toBe(0);
      expect(engine.entities({ query: 'zorblax', limit: 10, offset: 0 }, { userId: 'alice', memoryId: null }).total).toBe(1);
      expect(engine.search({ query: 'Zorblax Quintessa' }).results).toEqual([]);
      expect(engine.search({ query: 'Zorblax Quintessa', userId: 'alice' }).results).toHaveLength(1);
      // The shared note keeps its entities and its relation, with the shared evidence only.
      const neighbours = engine.neighbours('Ledger Service', 10, { userId: null, memoryId: null });
      expect([...new Set(neighbours.neighbours.map((n) => n.name))]).toEqual(['Nadia Kim']);
    } finally {
      engine.close();
    }
    expect(query(file, "SELECT user_id, memory_id FROM entities WHERE name = 'Zorblax Quintessa'")).toEqual([
      { user_id: 'alice', memory_id: 'default' },
    ]);
    expect(query<{ n: number }>(file, "SELECT COUNT(*) AS n FROM graph_meta WHERE key = 'rescope_pending'")[0]?.n).toBe(0);
    // Each relation weighs what its own documents assert: the private memory's share moved with it.
    expect(
      query(
        file,
        `SELECT COUNT(*) AS n FROM relations r WHERE r.weight != (SELECT SUM(s.count) FROM relation_sources s WHERE s.relation_id = r.id)
           OR EXISTS (SELECT 1 FROM relation_sources s JOIN documents d ON d.id = s.doc_id WHERE s.relation_id = r.id AND d.user_id IS NOT r.user_id)`,
      ),
    ).toEqual([{ n: 0 }]);
    // Every mention of a private chunk points at an entity of the chunk's scope.
    expect(
      query(
        file,
        `SELECT COUNT(*) AS n FROM mentions m JOIN chunks c ON c.id = m.chunk_id JOIN entities e ON e.id = m.entity_id
         WHERE c.user_id IS NOT e.user_id OR c.memory_id IS NOT e.memory_id`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('the Night Gardener merges within a scope and never across', () => {
    const tenant = makeTenant('garden-scopes');
    seedNotes(tenant);
    const engine = Engine.open(tenant.config, { command: 'test' });
    try {
      engine.ingest(tenant.kms, { source: 'test' });
      engine.remember({ text: 'Mara says the [[Ledger Service]] and the ledger-service are the same.', userId: 'mara' }, 'test');
      engine.runGarden({ trigger: 'manual', command: 'test' });
    } finally {
      engine.close();
    }
    const ledgers = query<{ user_id: string | null }>(
      path.join(tenant.dataDir, 'graph.db'),
      "SELECT user_id FROM entities WHERE norm = 'ledgerservice' ORDER BY user_id IS NOT NULL",
    );
    expect(ledgers).toEqual([{ user_id: null }, { user_id: 'mara' }]);
  });
});
