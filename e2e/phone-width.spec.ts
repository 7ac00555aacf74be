import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { buildDemoTenant, sql, startDashboard, type RunningDashboard } from './tenant';

let tenant: { dataDir: string; project: string };
let dashboard: RunningDashboard;

test.beforeAll(async () => {
  tenant = buildDemoTenant('kestrel');
  dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
});

test.afterAll(async () => {
  await dashboard?.stop();
  if (tenant) fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});

test.use({ viewport: { width: 390, height: 844 } });

for (const scheme of ['light', 'dark'] as const) {
  test(`at 390 px (${scheme}) no page scrolls sideways: the header wraps, wide tables scroll in their own box`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const [entity] = sql<{ id: string }>(`${tenant.dataDir}/graph.db`, 'SELECT id FROM entities ORDER BY id LIMIT 1');
    const [search] = sql<{ id: number }>(`${tenant.dataDir}/metrics.db`, 'SELECT id FROM query_log ORDER BY id LIMIT 1');
    const routes = ['/', '/ingest', '/graph', `/graph/entity/${entity?.id}`, '/queries', `/queries/${search?.id}`];
    for (const route of [...routes, '/gardener', '/users', '/keys', '/audit']) {
      await page.goto(`${dashboard.url}${route}`);
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${route} is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
      await expect(page.getByRole('navigation', { name: 'Pages' })).toBeInViewport();
    }
  });
}
