import { expect, test } from '@playwright/test';
import { sharedDemoDashboard, sql } from './tenant';

// Daily use of the dashboard: a phone's width, the keyboard, the way back from a detail page.
// One demo tenant and one dashboard serve every test in this file.
const demo = sharedDemoDashboard();

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const scheme of ['light', 'dark'] as const) {
    test(`at 390 px (${scheme}) no page scrolls sideways: the header folds, wide tables scroll in their own box`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const [entity] = sql<{ id: string }>(`${demo.tenant.dataDir}/graph.db`, 'SELECT id FROM entities ORDER BY id LIMIT 1');
      const [search] = sql<{ id: number }>(`${demo.tenant.dataDir}/metrics.db`, 'SELECT id FROM query_log ORDER BY id LIMIT 1');
      const routes = ['/', '/ingest', '/graph', `/graph/entity/${entity?.id}`, '/queries', `/queries/${search?.id}`];
      for (const route of [...routes, '/gardener', '/users', '/keys', '/audit']) {
        await page.goto(`${demo.dashboard.url}${route}`);
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${route} is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
        await expect(page.getByRole('button', { name: 'Menu' })).toBeInViewport();
        // Opened, the menu wraps inside the screen too.
        await page.getByRole('button', { name: 'Menu' }).click();
        await expect(page.getByRole('navigation', { name: 'Pages' })).toBeInViewport();
        const opened = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(opened, `${route} with the menu open`).toBeLessThanOrEqual(0);
      }
    });
  }
});

test('the first Tab stop skips to the content: one key past the banner, navigation and range picker', async ({ page }) => {
  for (const route of ['/', '/ingest', '/queries']) {
    await page.goto(`${demo.dashboard.url}${route}`);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip, route).toBeFocused();
    await expect(skip, route).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main'), route).toBeFocused();
    // The next Tab lands inside the page's own content, not back in the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null), route).toBe(true);
  }
});

test("a search's detail page leads back to the query log with the filters it was opened from", async ({ page }) => {
  await page.goto(`${demo.dashboard.url}/queries?range=30d&tool=hydra_search_tool&sort=latency_desc`);
  const href = await page.getByTestId('query-log').locator('tbody tr a[href^="/queries/"]').first().getAttribute('href');
  expect(href).toContain('tool=hydra_search_tool');
  await page.goto(`${demo.dashboard.url}${href}`);
  await expect(page.getByTestId('query-detail')).toBeVisible();
  await page.getByRole('link', { name: 'Query logs' }).click();
  await expect(page).toHaveURL(/\/queries\?/);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ range: '30d', tool: 'hydra_search_tool', sort: 'latency_desc' });
  await expect(page.getByLabel('Sort')).toHaveValue('latency_desc');
});
