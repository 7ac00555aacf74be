import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DAMAGES, keepFile, type Damage, type StoreName } from './reliability/store-damage';
import { buildDemoTenant, snapshotDir, sql, startDashboard } from './tenant';

// Every page and export, with the stores it cannot do without (the test's own reading of the
// product: pages that need a store must explain it; a page may mention no other store's problem).
interface Target {
  path: string;
  needs: StoreName[];
}

function targets(ids: { entity: string; query: number; user: string }): { pages: Target[]; exports: Target[] } {
  return {
    pages: [
      { path: '/', needs: ['metrics', 'graph'] },
      { path: '/ingest', needs: ['metrics'] },
      { path: '/graph', needs: ['metrics', 'graph'] },
      { path: `/graph/entity/${ids.entity}`, needs: ['graph'] },
      { path: '/queries', needs: ['metrics'] },
      { path: `/queries/${ids.query}`, needs: ['metrics'] },
      { path: '/gardener', needs: ['metrics'] },
      { path: '/users', needs: ['graph'] },
      { path: `/users/${encodeURIComponent(ids.user)}`, needs: ['graph'] },
      { path: '/keys', needs: ['metrics'] },
      { path: '/audit', needs: ['metrics'] },
      { path: '/?report=1', needs: ['metrics', 'graph'] },
    ],
    exports: [
      { path: '/api/export/query-log', needs: ['metrics'] },
      { path: '/api/export/query-log?format=json', needs: ['metrics'] },
      { path: '/api/export/ingest-runs', needs: ['metrics'] },
      { path: '/api/export/audit', needs: ['metrics'] },
      { path: '/api/export/entities', needs: ['graph'] },
      { path: '/api/export/entities?format=json', needs: ['graph'] },
    ],
  };
}

const STACK = /\n\s+at .+:\d+:\d+/;

/** The store problems a page shows, as `store:problem`. */
function problemsOn(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<section[^>]*data-store-problem="([a-z-]+)"[^>]*data-store="([a-z]+)"/g)) {
    found.push(`${match[2]}:${match[1]}`);
  }
  return found;
}

async function checkPages(request: APIRequestContext, base: string, pages: Target[], store: StoreName, damage: Damage) {
  const { expected } = damage;
  for (const target of pages) {
    const response = await request.get(`${base}${target.path}`);
    const html = await response.text();
    const where = `${damage.name} ${store}.db: ${target.path}`;
    expect(response.status(), where).toBe(200);
    expect(html, where).not.toMatch(/This page couldn.t load|Application error/);
    expect(html, where).not.toMatch(/\bat [^<]*\.(js|ts|tsx):\d+/);
    const problems = problemsOn(html);
    if (expected.problem && target.needs.includes(store)) {
      expect(problems, where).toContain(`${store}:${expected.problem}`);
      expect(html, where).toContain(expected.title ?? '');
    }
    // Whatever a page explains, it is the real problem of the broken store, and only that.
    for (const shown of problems) expect(shown, where).toBe(`${store}:${expected.problem}`);
  }
}

async function checkExports(request: APIRequestContext, base: string, exports: Target[], store: StoreName, damage: Damage) {
  const { expected } = damage;
  for (const target of exports) {
    const response = await request.get(`${base}${target.path}`);
    const where = `${damage.name} ${store}.db: ${target.path}`;
    if (expected.problem && target.needs.includes(store)) {
      expect(response.status(), where).toBe(503);
      const body = (await response.json()) as { error: string; hint: string };
      expect(body.error, where).toMatch(expected.reason ?? /./);
      expect(body.hint.length, where).toBeGreaterThan(10);
    } else {
      expect(response.status(), where).toBe(200);
      expect(await response.text(), where).not.toMatch(/export failed|# failed/i);
    }
  }
}

async function checkReadiness(request: APIRequestContext, base: string, store: StoreName, damage: Damage) {
  const response = await request.get(`${base}/readyz`);
  const body = (await response.json()) as {
    status: string;
    stores: Array<{ store: string; ok: boolean; problem: string | null }>;
  };
  const where = `${damage.name} ${store}.db: /readyz`;
  const entry = body.stores.find((item) => item.store === store);
  if (damage.expected.problem) {
    expect(response.status(), where).toBe(503);
    expect(body.status, where).toBe('not ready');
    expect(entry?.ok, where).toBe(false);
    expect(entry?.problem, where).toMatch(damage.expected.reason ?? /./);
  } else {
    expect(response.status(), where).toBe(200);
    expect(entry, where).toMatchObject({ ok: true, problem: null });
  }
}

test('every way a store can break: each page, /readyz and export names the real problem, and all recover without a restart', async ({
  request,
}) => {
  test.setTimeout(15 * 60_000);
  const tenant = buildDemoTenant('kestrel');
  // The dashboard runs as an ordinary user (when the suite runs as root) so that permissions count.
  fs.chmodSync(tenant.dataDir, 0o755);
  const files: Record<StoreName, string> = {
    metrics: path.join(tenant.dataDir, 'metrics.db'),
    graph: path.join(tenant.dataDir, 'graph.db'),
  };
  const [entity] = sql<{ id: string }>(
    files.graph,
    'SELECT id FROM entities WHERE project = ? ORDER BY id LIMIT 1',
    tenant.project,
  );
  const [query] = sql<{ id: number }>(
    files.metrics,
    'SELECT id FROM query_log WHERE project = ? ORDER BY id LIMIT 1',
    tenant.project,
  );
  const [user] = sql<{ identifier: string }>(
    files.graph,
    'SELECT identifier FROM users WHERE project = ? LIMIT 1',
    tenant.project,
  );
  if (!entity || !query || !user) throw new Error('the demo tenant should have an entity, a search and a user');
  const { pages, exports } = targets({ entity: entity.id, query: query.id, user: user.identifier });
  const dashboard = await startDashboard(
    // Every request reads for itself: a lock taken by another process changes no file, so a shared
    // answer of the second before (DASHBOARD_READ_REUSE_MS) would not show it yet.
    {
      HYDRAMEM_DATA_DIR: tenant.dataDir,
      HYDRAMEM_PROJECT: tenant.project,
      DASHBOARD_INTEGRITY_CHECK_MINUTES: '0',
      DASHBOARD_READ_REUSE_MS: '0',
    },
    undefined,
    { asNobody: true },
  );
  const base = dashboard.url;
  let scenarios = 0;
  try {
    for (const store of ['metrics', 'graph'] as const) {
      const other = store === 'metrics' ? 'graph' : 'metrics';
      for (const damage of DAMAGES) {
        const restore = keepFile(files[store]);
        const otherBefore = snapshotDir(tenant.dataDir);
        const stop = await damage.apply(files[store]);
        const broken = snapshotDir(tenant.dataDir);
        try {
          await checkPages(request, base, pages, store, damage);
          await checkReadiness(request, base, store, damage);
          await checkExports(request, base, exports, store, damage);
        } finally {
          await stop();
        }
        // The dashboard wrote to neither store: the broken file is as the test left it, the other as it was.
        const after = snapshotDir(tenant.dataDir);
        expect(after.sums[`${other}.db`], `${damage.name}: ${other}.db`).toBe(otherBefore.sums[`${other}.db`]);
        expect(after.mtimes[`${other}.db`], `${damage.name}: ${other}.db`).toBe(otherBefore.mtimes[`${other}.db`]);
        expect(after.sums[`${store}.db`], `${damage.name}: ${store}.db`).toBe(broken.sums[`${store}.db`]);
        // Fixed in place, with the same dashboard: ready again, and no page explains anything.
        restore();
        await checkReadiness(request, base, store, { ...damage, expected: { problem: null, title: null, reason: null } });
        for (const target of pages) {
          const html = await (await request.get(`${base}${target.path}`)).text();
          expect(problemsOn(html), `${damage.name} ${store}.db restored: ${target.path}`).toEqual([]);
        }
        scenarios += 1;
      }
    }
    expect(scenarios).toBe(DAMAGES.length * 2);
    expect(dashboard.errorOutput()).not.toMatch(STACK);
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});

test('a store damaged before the dashboard starts is found by the integrity check, before any page reads it', async ({
  request,
}) => {
  const tenant = buildDemoTenant('kestrel');
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const bytes = fs.readFileSync(metrics);
  // One page of noise deep in the file: opening works and most reads would never meet it.
  const last = bytes.length - 4096;
  for (let offset = last; offset < bytes.length; offset += 1) bytes[offset] = (offset * 131) % 251;
  fs.writeFileSync(metrics, bytes);
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    await expect.poll(async () => (await request.get(`${dashboard.url}/readyz`)).status(), { timeout: 30_000 }).toBe(503);
    const body = (await (await request.get(`${dashboard.url}/readyz`)).json()) as { stores: Array<{ problem: string | null }> };
    expect(body.stores[0]?.problem).toMatch(/metrics store .* is not a readable SQLite database \(quick_check: /);
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
