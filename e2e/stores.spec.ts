import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { buildDemoTenant, sqlValue, startDashboard } from './tenant';

test('health and readiness answer for a tenant made by the writer, and readiness explains a missing store', async ({
  request,
}) => {
  const tenant = buildDemoTenant('kestrel');
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    expect(await (await request.get(`${dashboard.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await request.get(`${dashboard.url}/readyz`);
    expect(ready.status()).toBe(200);
    const version = sqlValue(path.join(tenant.dataDir, 'graph.db'), 'PRAGMA user_version');
    expect((await ready.json()).stores).toEqual([
      {
        store: 'metrics',
        ok: true,
        version: sqlValue(path.join(tenant.dataDir, 'metrics.db'), 'PRAGMA user_version'),
        problem: null,
      },
      { store: 'graph', ok: true, version, problem: null },
    ]);
  } finally {
    await dashboard.stop();
  }
  // The same dashboard over a data directory whose graph.db has gone.
  fs.rmSync(path.join(tenant.dataDir, 'graph.db'));
  const broken = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    const ready = await request.get(`${broken.url}/readyz`);
    expect(ready.status()).toBe(503);
    const body = await ready.json();
    expect(body.status).toBe('not ready');
    expect(body.stores[1].problem).toMatch(/graph store .*graph\.db does not exist/);
  } finally {
    await broken.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});

test('a store the dashboard cannot use gets a page that says what is wrong and what to do, never a stack trace', async ({
  page,
}) => {
  const tenant = buildDemoTenant('kestrel');
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const cases: Array<{ prepare: () => void; title: string; hint: RegExp }> = [
    { prepare: () => fs.writeFileSync(metrics, 'not a database '.repeat(500)), title: 'The store is damaged', hint: /backup/ },
    { prepare: () => fs.rmSync(metrics), title: 'No data yet', hint: /hydramem serve/ },
  ];
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    for (const item of cases) {
      item.prepare();
      for (const route of ['/', '/ingest', '/graph', '/queries']) {
        const response = await page.goto(`${dashboard.url}${route}`);
        expect(response?.status(), route).toBe(200);
        await expect(page.locator('[data-store-problem]')).toContainText(item.title);
        await expect(page.locator('[data-store-problem]')).toContainText(item.hint);
        await expect(page.locator('body')).not.toContainText(/\bat .*\.(js|ts):\d+/);
      }
    }
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
