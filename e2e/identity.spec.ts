import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadConfig } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import { buildDemoTenant, sql, sqlValue, startDashboard, type RunningDashboard } from './tenant';

// The demo tenant (users, preferences over time, API keys, an audit trail), plus two users the test
// writes itself through the real engine, each with words only their private memory holds.
const ALICE = ['Zorblax', 'Quintessa'];
const BOB = ['Pemberwick'];
let tenant: { dataDir: string; project: string };
let dashboard: RunningDashboard;
let metrics: string;
let graph: string;
let range: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tenant = buildDemoTenant('kestrel');
  metrics = path.join(tenant.dataDir, 'metrics.db');
  graph = path.join(tenant.dataDir, 'graph.db');
  const config = loadConfig({
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    KNOWLEDGE_DIR: path.join(tenant.dataDir, 'kms'),
    HYDRAMEM_WATCH: '0',
  });
  const engine = Engine.open(config, { command: 'test' });
  try {
    engine.remember(
      { text: 'Zorblax Quintessa reviews the kelp ledger.', userId: 'alice', memoryId: 'chat' },
      'test',
      null,
      'test',
    );
    engine.remember({ text: 'The Pemberwick locker holds the spare keys.', userId: 'bob' }, 'test', null, 'test');
    engine.search({ query: 'Zorblax Quintessa', userId: 'alice', memoryId: 'chat', tool: 'hydra_search_tool' });
    engine.search({ query: 'Pemberwick locker', userId: 'bob', tool: 'hydra_search_tool' });
  } finally {
    engine.close();
  }
  dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
  range = `from=${iso(Date.now() - 40 * 86_400_000)}&to=${iso(Date.now() + 3_600_000)}`;
});

test.afterAll(async () => {
  await dashboard?.stop();
  if (tenant) fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});

const html = async (route: string): Promise<string> => {
  const response = await fetch(`${dashboard.url}${route}`);
  expect(response.status, route).toBe(200);
  return response.text();
};

test('the users page counts what each user did, from the rollups, as the test counts it', async ({ page }) => {
  await page.goto(`${dashboard.url}/users?${range}`);
  const users = sql<{ identifier: string }>(
    graph,
    'SELECT identifier FROM users WHERE project = ? ORDER BY identifier',
    tenant.project,
  );
  const rows = page.getByTestId('users').locator('tbody tr');
  await expect(rows).toHaveCount(users.length);
  for (const [index, user] of users.entries()) {
    const calls = sqlValue(
      metrics,
      "SELECT COUNT(*) FROM events WHERE project = ? AND json_extract(metadata_json, '$.user_id') = ?",
      tenant.project,
      user.identifier,
    );
    await expect(rows.nth(index).locator('td').first()).toHaveText(user.identifier);
    await expect(rows.nth(index).locator('td').nth(1)).toHaveAttribute('data-value', String(calls));
  }
  await page.screenshot({ path: 'test-results/screenshots/users.png', fullPage: true });
});

test('a user page shows the preference timeline and the set in force at a chosen time', async ({ page }) => {
  const prefs = sql<{ id: string; text: string; valid_from: string; valid_until: string | null }>(
    graph,
    "SELECT id, text, valid_from, valid_until FROM preferences WHERE user_id = 'mara.okafor' ORDER BY valid_from",
  );
  expect(prefs).toHaveLength(2);
  const [older, newer] = prefs as [(typeof prefs)[number], (typeof prefs)[number]];
  await page.goto(`${dashboard.url}/users/mara.okafor?${range}`);
  const timeline = page.getByTestId('preference-timeline');
  await expect(timeline.locator('li')).toHaveCount(2);
  await expect(timeline.locator(`[data-preference-id="${newer.id}"]`)).toHaveAttribute('data-in-force', 'yes');
  await expect(timeline.locator(`[data-preference-id="${older.id}"]`)).toHaveAttribute('data-in-force', 'no');
  // Between the two: only the older one was in force.
  const between = new Date((Date.parse(older.valid_from) + Date.parse(newer.valid_from)) / 2).toISOString().slice(0, 16);
  await page.goto(`${dashboard.url}/users/mara.okafor?${range}&as_of=${between}Z`);
  await expect(timeline.locator(`[data-preference-id="${older.id}"]`)).toHaveAttribute('data-in-force', 'yes');
  await expect(timeline.locator(`[data-preference-id="${newer.id}"]`)).toHaveAttribute('data-in-force', 'no');
  // The memories the user's documents are in, as the store has them (the demo's replay decides which).
  const memories = sql<{ memory_id: string }>(
    graph,
    "SELECT DISTINCT memory_id FROM documents WHERE user_id = 'mara.okafor' ORDER BY memory_id",
  ).map((row) => row.memory_id);
  if (memories.length === 0) await expect(page.getByTestId('user-memories')).toContainText('No memories yet.');
  for (const memory of memories) await expect(page.getByTestId('user-memories')).toContainText(memory);
  await page.screenshot({ path: 'test-results/screenshots/user.png', fullPage: true });
  const unknown = await fetch(`${dashboard.url}/users/nobody-here`);
  expect(unknown.status).toBe(404);
  await page.goto(`${dashboard.url}/users/nobody-here`);
  await expect(page.getByTestId('not-found')).toContainText('No user nobody-here in project');
});

test('the keys page lists every key as the store has it, never a hash', async ({ page }) => {
  const keys = sql<{ id: string; prefix: string; hash: string }>(
    metrics,
    'SELECT id, prefix, hash FROM api_keys WHERE project = ?',
    tenant.project,
  );
  expect(keys.length).toBeGreaterThan(0);
  await page.goto(`${dashboard.url}/keys`);
  await expect(page.getByTestId('api-keys').locator('tbody tr')).toHaveCount(keys.length);
  for (const key of keys) await expect(page.locator(`[data-key-id="${key.id}"]`)).toContainText(key.prefix);
  const body = await html('/keys');
  for (const key of keys) expect(body).not.toContain(key.hash);
});

test('the audit trail filters, pages and exports like the test’s own SQL', async ({ page }) => {
  await page.goto(`${dashboard.url}/audit?${range}`);
  const total = sqlValue(metrics, 'SELECT COUNT(*) FROM audit_log WHERE project = ?', tenant.project);
  await expect(page.getByTestId('audit-count')).toHaveAttribute('data-value', String(total));
  await page.getByLabel('Action').selectOption('memory.remember');
  await page.getByRole('button', { name: 'Apply' }).last().click();
  await expect(page).toHaveURL(/action=memory.remember/);
  const remembered = sql<{ id: number }>(
    metrics,
    "SELECT id FROM audit_log WHERE project = ? AND action = 'memory.remember' ORDER BY ts DESC, id DESC",
    tenant.project,
  ).map((row) => String(row.id));
  await expect(page.getByTestId('audit-count')).toHaveAttribute('data-value', String(remembered.length));
  const shown = await page
    .getByTestId('audit-log')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-id')));
  expect(shown).toEqual(remembered.slice(0, 100));
  const csv = await (await fetch(`${dashboard.url}/api/export/audit?${range}&action=memory.remember&format=csv`)).text();
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('id,ts,actor,action,target,result,reason,key_prefix,end_user');
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(remembered);
  await page.screenshot({ path: 'test-results/screenshots/audit.png', fullPage: true });
});

test('filtered to user B, no page or export shows what only A’s private memory holds', async () => {
  const routes = [
    `/queries?${range}&user=bob`,
    `/queries?${range}&user=bob&q=Zorb`,
    `/ingest?${range}&user=bob`,
    `/graph?${range}&user=bob&q=zorblax`,
    `/graph?${range}&user=bob&q=quintessa`,
    `/api/export/query-log?${range}&user=bob&format=csv`,
    `/api/export/ingest-runs?${range}&user=bob&format=json`,
  ];
  const echo = (route: string) => [...new URL(route, 'http://x').searchParams.values()];
  for (const route of routes) {
    const body = echo(route).reduce((text, asked) => text.split(asked).join(''), await html(route));
    for (const word of ALICE) expect(body.includes(word), `${route}: ${word}`).toBe(false);
  }
  // The same views for Alice show her memory: the filters are what keep it out above.
  expect(await html(`/graph?${range}&user=alice&q=zorblax`)).toContain('Zorblax Quintessa');
  expect(await html(`/queries?${range}&user=alice`)).toContain('Zorblax Quintessa');
  expect(await html(`/queries?${range}&user=alice&memory=work`)).not.toContain('Zorblax Quintessa');
  for (const word of BOB) expect(await html(`/queries?${range}&user=bob`)).toContain(word);
});
