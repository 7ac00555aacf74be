import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { HTML, RSC, rawGet, type RawResponse } from './auth/http';
import { buildDemoTenant, type RunningDashboard, startDashboard } from './tenant';

// A page asked again while the stores are unchanged is the first request's rendering, replayed with
// its own CSP nonce; never another viewer's, never one with a failed read, never after a commit.
const SECRET = 'e2e-reuse-secret-0123456789abcdef0123456789';
const VIEWERS = {
  alice: { 'remote-user': 'alice', 'remote-groups': 'dash-kestrel-admin', 'remote-name': 'Alice Admin' },
  bruno: { 'remote-user': 'bruno', 'remote-groups': 'dash-kestrel-admin', 'remote-name': 'Bruno Admin' },
  sam: { 'remote-user': 'sam', 'remote-groups': 'dash-kestrel-support', 'remote-name': 'Sam Support' },
} as const;
type Name = keyof typeof VIEWERS;

let tenant: { dataDir: string; project: string };
let dashboard: RunningDashboard;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tenant = buildDemoTenant('kestrel');
  dashboard = await startDashboard({
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    DASHBOARD_AUTH_MODE: 'proxy',
    DASHBOARD_PROXY_SECRET: SECRET,
    DASHBOARD_LOGOUT_URL: 'http://127.0.0.1:9/logout',
    // Long enough that every request of a test falls inside it.
    DASHBOARD_READ_REUSE_MS: '60000',
  });
});

test.afterAll(async () => {
  await dashboard?.stop();
});

const get = (path: string, viewer: Name, headers: Record<string, string> = {}) =>
  rawGet(`${dashboard.url}${path}`, { ...HTML, ...VIEWERS[viewer], 'x-hydramem-proxy-secret': SECRET, ...headers });

function nonceOf(response: RawResponse): string {
  const match = /'nonce-([^']+)'/.exec(String(response.headers['content-security-policy']));
  if (!match?.[1]) throw new Error('no nonce in the CSP header');
  return match[1];
}

/** A commit to metrics.db, as the writer's next recorded search makes one. */
function commitASearch(): void {
  const db = new Database(`${tenant.dataDir}/metrics.db`);
  db.prepare(
    `INSERT INTO query_log (ts, project, tool, query, result_count, latency_ms, tokens_injected, tokens_baseline, status)
     VALUES (?, ?, 'hydra_search_tool', 'a search committed during the test', 0, 4, 0, 0, 'ok')`,
  ).run(new Date().toISOString().replace('Z', '+00:00'), tenant.project);
  db.close();
}

test('a page asked again is the first rendering with a nonce of its own, in the header and every script', async () => {
  const first = await get('/ingest?range=30d', 'alice');
  const again = await get('/ingest?range=30d', 'alice');
  expect([first.status, again.status]).toEqual([200, 200]);
  expect(first.headers['x-hydramem-page']).toBe('rendered');
  expect(again.headers['x-hydramem-page']).toBe('reused');
  const [before, after] = [nonceOf(first), nonceOf(again)];
  expect(after).not.toBe(before);
  expect(again.body).not.toContain(before);
  const scriptNonces = [...again.body.matchAll(/<script[^>]* nonce="([^"]+)"/g)].map((match) => match[1]);
  expect(scriptNonces.length).toBeGreaterThan(3);
  expect(new Set(scriptNonces)).toEqual(new Set([after]));
  expect(again.body.replaceAll(after, 'NONCE')).toBe(first.body.replaceAll(before, 'NONCE'));
  expect(Number(again.headers['content-length'])).toBe(Buffer.byteLength(again.body));
});

test('each viewer gets a page rendered for them, whoever asked for the same address just before', async () => {
  const paths = ['/?range=30d', '/queries?range=30d', '/graph?range=30d', '/ingest?range=7d'];
  const order: Name[] = ['alice', 'sam', 'bruno', 'alice', 'sam', 'bruno', 'sam', 'alice'];
  const responses = await Promise.all(
    paths.flatMap((path) => order.map(async (viewer) => ({ path, viewer, response: await get(path, viewer) }))),
  );
  const seen = new Map<string, Set<string>>();
  for (const { path, viewer, response } of responses) {
    expect(response.status, `${viewer} ${path}`).toBe(200);
    const named = VIEWERS[viewer]['remote-name'];
    expect(response.body, `${viewer} ${path}`).toContain(named);
    for (const other of Object.values(VIEWERS).map((headers) => headers['remote-name'])) {
      if (other !== named) expect(response.body, `${viewer} ${path} names ${other}`).not.toContain(other);
    }
    expect(response.body).toContain(`data-testid="viewer-role">${viewer === 'sam' ? 'support' : 'admin'}<`);
    const key = `${viewer} ${path}`;
    seen.set(key, (seen.get(key) ?? new Set()).add(String(response.headers['x-hydramem-page'])));
  }
  // Asked at once, each viewer's page was rendered once and reused by their other requests.
  for (const [key, kinds] of seen) expect([...kinds].sort(), key).toEqual(['rendered', 'reused']);
});

test("the writer's next commit ends the reuse: the page after it is rendered again and shows it", async () => {
  const path = '/queries?range=24h&q=committed%20during';
  await get(path, 'alice');
  expect((await get(path, 'alice')).headers['x-hydramem-page']).toBe('reused');
  commitASearch();
  const after = await get(path, 'alice');
  expect(after.headers['x-hydramem-page']).toBe('rendered');
  expect(after.body).toContain('a search committed during the test');
});

test("Next's own navigations, exports and refusals are never reused", async () => {
  for (let round = 0; round < 2; round += 1) {
    const navigation = await get('/graph?range=30d', 'alice', RSC);
    expect(navigation.status).toBeLessThan(500);
    expect(navigation.headers['x-hydramem-page']).toBeUndefined();
    const exported = await get('/api/export/query-log?range=30d&format=csv', 'alice');
    expect(exported.headers['x-hydramem-page']).toBeUndefined();
    const refused = await rawGet(`${dashboard.url}/?range=30d`, { ...HTML, ...VIEWERS.alice });
    expect(refused.status).toBe(401);
    expect(refused.headers['x-hydramem-page']).toBeUndefined();
    const missing = await get('/graph/entity/no-such-entity', 'alice');
    expect(missing.status).toBe(404);
    // Rendered for each request: only a 200 page is kept.
    expect(missing.headers['x-hydramem-page']).toBe('rendered');
  }
});

test('a page whose read found a store problem is rendered again for the next request', async () => {
  test.setTimeout(90_000);
  const damaged = buildDemoTenant('kestrel');
  fs.chmodSync(damaged.dataDir, 0o755);
  // Unreadable to the dashboard, which runs as an ordinary user (nobody when the tests run as root).
  fs.chmodSync(`${damaged.dataDir}/graph.db`, 0o000);
  const unprivileged = await startDashboard(
    { HYDRAMEM_DATA_DIR: damaged.dataDir, HYDRAMEM_PROJECT: damaged.project, DASHBOARD_READ_REUSE_MS: '60000' },
    undefined,
    { asNobody: true },
  );
  try {
    for (const expected of ['rendered', 'rendered']) {
      const response = await rawGet(`${unprivileged.url}/graph?range=30d`, HTML);
      expect(response.headers['x-hydramem-page']).toBe(expected);
      expect(response.body).toContain('graph.db');
    }
    // A page whose reads all gave data is still reused there.
    await rawGet(`${unprivileged.url}/ingest?range=30d`, HTML);
    expect((await rawGet(`${unprivileged.url}/ingest?range=30d`, HTML)).headers['x-hydramem-page']).toBe('reused');
  } finally {
    await unprivileged.stop();
  }
});

test('with DASHBOARD_READ_REUSE_MS=0 every request is rendered', async () => {
  const everyTime = await startDashboard({
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    DASHBOARD_READ_REUSE_MS: '0',
  });
  try {
    for (let round = 0; round < 3; round += 1) {
      const response = await rawGet(`${everyTime.url}/?range=30d`, HTML);
      expect(response.status).toBe(200);
      expect(response.headers['x-hydramem-page']).toBeUndefined();
    }
  } finally {
    await everyTime.stop();
  }
});

test('in the browser a reused page runs its scripts under its CSP: the shortcuts open, no script is refused', async ({
  page,
}) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.setExtraHTTPHeaders({ ...VIEWERS.bruno, 'x-hydramem-proxy-secret': SECRET });
  await page.goto(`${dashboard.url}/gardener?range=30d`);
  const reload = await page.goto(`${dashboard.url}/gardener?range=30d`);
  expect(await reload?.headerValue('x-hydramem-page')).toBe('reused');
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toContainText('Ctrl');
  expect(refused).toEqual([]);
});
