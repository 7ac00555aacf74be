import { beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, revealerFor } from '../lib/auth/redaction';
import type { Role } from '../lib/auth/roles';
import { READ_MODELS, type ReadName } from '../lib/read/registry';
import { revealSensitive, sensitive, sensitiveOrNull } from '../lib/read/sensitive';
import { parseQueryLogFilters, withoutContentFilters } from '../lib/request/query-log-filters';
import { parseRange } from '../lib/request/range';
import type { ArgsOf } from '../lib/request/reader';
import { entityId } from '../lib/store/ids';
import { dashboardReader, makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

/** Words that only occur in content support must not see: note text, titles, headings, names, queries, user ids. */
const SECRETS = ['zephyrine', 'quillon', 'marshwick', 'budgetquokka', 'user-narwhal', 'mem-axolotl', 'sess-pangolin'];

const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ from: '2026-11-01T00:00Z', to: '2026-11-21T00:00Z' }, NOW);
let tenant: Tenant;
let firstQueryId = 0;

/** Every string value in a structure. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const leaks = (value: unknown): string[] =>
  strings(value).filter((text) => SECRETS.some((secret) => text.toLowerCase().includes(secret)));

beforeAll(() => {
  tenant = makeTenant('r');
  writeFile(
    tenant.kms,
    'notes/plan.md',
    '---\ntitle: Zephyrine Plan\nowner: "[[Quillon Marshwick]]"\n---\n# Zephyrine rollout\n\nThe zephyrine budgetquokka ships with `ZephyrineJob`.\n',
  );
  writeFile(tenant.kms, 'notes/person.md', '# Quillon Marshwick\n\nQuillon Marshwick owns the [[Zephyrine Plan]].\n');
  let clock = new Date('2026-11-10T09:30:00Z');
  const engine = openEngine(tenant, () => clock);
  engine.ingest(tenant.kms, { source: 'test' });
  clock = new Date('2026-11-12T10:00:00Z');
  engine.search({ query: 'zephyrine budgetquokka', userId: 'user-narwhal', memoryId: 'mem-axolotl', sessionId: 'sess-pangolin' });
  engine.search({ query: 'who is quillon', userId: 'user-narwhal', sessionId: 'sess-pangolin' });
  engine.runGarden({ trigger: 'manual', command: 'test' });
  engine.users.ensure('user-narwhal', clock);
  engine.preferences.add(
    {
      userId: 'user-narwhal',
      category: 'zephyrine reports',
      text: 'budgetquokka weekly',
      appliesTo: [{ name: 'Quillon Marshwick', type: 'person' }],
    },
    clock,
  );
  engine.keys.create({ env: 'test', scopes: ['memory:read'], userId: 'user-narwhal' }, clock);
  engine.audit({
    actor: 'key:hm_test_abcdefgh',
    action: 'memory.search',
    target: null,
    result: 'ok',
    reason: null,
    keyPrefix: 'hm_test_abcdefgh',
    endUser: 'user-narwhal',
  });
  engine.close();
  firstQueryId = query<{ id: number }>(`${tenant.dataDir}/metrics.db`, 'SELECT MIN(id) AS id FROM query_log')[0]?.id ?? 0;
});

/** Arguments for every read model, so the crawl below reads each one: a new read model must be added here. */
function argsFor(): { [Name in ReadName]: ArgsOf<Name> } {
  const { cursor: _cursor, pageSize: _size, ...exportFilters } = parseQueryLogFilters({});
  const auditFilters = { actor: null, action: null, result: null, order: 'newest' } as const;
  return {
    apiKeyList: [],
    auditLog: [{ ...auditFilters, before: null, pageSize: 100 }],
    exportAudit: [{ filters: auditFilters, cursor: null, limit: 500 }],
    userDetail: [{ identifier: 'user-narwhal', asOf: null }],
    userList: [{ after: null, order: 'asc' }],
    callActivity: [],
    dataAsOf: [],
    entityDetail: [{ id: entityId('r', 'Quillon Marshwick') }],
    entityRelations: [{ id: entityId('r', 'Quillon Marshwick') }],
    entitySearch: [{ text: 'zephyrine', user: null, memory: null }],
    exportEntities: [{ filters: { type: null }, cursor: null, limit: 500 }],
    exportIngestRuns: [{ filters: { status: null, user: null, memory: null, order: 'newest' }, cursor: null, limit: 500 }],
    exportQueryLog: [{ filters: exportFilters, cursor: null, limit: 500 }],
    federationHistory: [],
    gardenHistory: [],
    graphGrowth: [],
    graphSnapshot: [],
    graphTotals: [{ user: null, memory: null }],
    ingestActivity: [],
    ingestRuns: [{ status: null, user: null, memory: null, before: null, order: 'newest', limit: 50 }],
    ingestSources: [],
    queryDetail: [{ id: firstQueryId }],
    queryHighlights: [parseQueryLogFilters({})],
    queryLog: [parseQueryLogFilters({})],
    queryTools: [],
    searchLatency: [],
    storeIntegrity: [{ store: 'graph' }],
    storeStatus: [],
    toolUsage: [],
    writerHealth: [],
  };
}

function readEverything(role: Role): Record<ReadName, unknown> {
  const read = dashboardReader(tenant, range, role) as (name: ReadName, ...args: unknown[]) => unknown;
  const args = argsFor() as Record<ReadName, unknown[]>;
  return Object.fromEntries(
    Object.keys(READ_MODELS).map((name) => [name, read(name as ReadName, ...args[name as ReadName])]),
  ) as Record<ReadName, unknown>;
}

describe('redaction by construction', () => {
  it('replaces every sensitive value, however deep, and nothing else', () => {
    const data = {
      row: { id: 7, query: sensitive('who owns the launch budget'), user: sensitiveOrNull(null), at: new Date(0) },
      names: [sensitive('Project Falcon'), sensitive('Ana Ruiz')],
      path: 'notes/budget.md',
    };
    expect(revealSensitive(data, revealerFor('support'))).toEqual({
      row: { id: 7, query: REDACTED, user: null, at: new Date(0) },
      names: [REDACTED, REDACTED],
      path: 'notes/budget.md',
    });
    expect(revealSensitive(data, revealerFor('admin'))).toEqual({
      row: { id: 7, query: 'who owns the launch budget', user: null, at: new Date(0) },
      names: ['Project Falcon', 'Ana Ruiz'],
      path: 'notes/budget.md',
    });
  });

  it('drops filters on hidden values for support', () => {
    const filters = parseQueryLogFilters({ q: 'budget', user: 'mara.okafor', session: 'sess-1', tool: 'hydra_search_tool' });
    expect(withoutContentFilters(filters)).toMatchObject({ text: null, user: null, session: null, tool: 'hydra_search_tool' });
  });

  it('every read model, read as support, carries no content; read as admin, the content is there', () => {
    const asSupport = readEverything('support');
    for (const [name, data] of Object.entries(asSupport)) expect(leaks(data), name).toEqual([]);
    const asAdmin = readEverything('admin');
    // The positive control: the reads that show content do show it to an admin.
    for (const name of [
      'entityDetail',
      'entityRelations',
      'entitySearch',
      'exportEntities',
      'exportQueryLog',
      'graphSnapshot',
      'queryDetail',
      'queryHighlights',
      'queryLog',
      'userList',
      'userDetail',
      'auditLog',
      'exportAudit',
      'apiKeyList',
    ] as const)
      expect(leaks(asAdmin[name]).length, name).toBeGreaterThan(0);
    // What support keeps: counts, statuses, paths, types.
    expect(asSupport.ingestSources).toMatchObject({
      rows: expect.arrayContaining([expect.objectContaining({ path: 'notes/plan.md' })]),
    });
    expect(asSupport.queryLog).toMatchObject({
      count: 2,
      rows: expect.arrayContaining([expect.objectContaining({ query: REDACTED, user_id: REDACTED })]),
    });
  });
});
