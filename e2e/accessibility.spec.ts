import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { layoutProblems } from './layout';
import { sharedDemoDashboard, sql } from './tenant';

// The axe rules (WCAG 2.1 A and AA, contrast included) on every page, light and dark, at desktop
// and phone width: no serious or critical violation anywhere; and no sideways page scroll, no chart
// label cut or wrapped.
const demo = sharedDemoDashboard();

function routes(): string[] {
  const [entity] = sql<{ id: string }>(`${demo.tenant.dataDir}/graph.db`, 'SELECT id FROM entities ORDER BY id LIMIT 1');
  const [search] = sql<{ id: number }>(`${demo.tenant.dataDir}/metrics.db`, 'SELECT id FROM query_log ORDER BY id LIMIT 1');
  const pages = ['/', '/ingest', '/graph', `/graph/entity/${entity?.id}`, '/queries', `/queries/${search?.id}`, '/gardener'];
  return [...pages, '/users', '/keys', '/audit', '/no-such-page'].map(
    (route) => `${route}${route.includes('?') ? '&' : '?'}range=30d`,
  );
}

for (const width of [1440, 390]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`no serious or critical axe violation and no layout fault on any page at ${width} px, ${scheme}`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.emulateMedia({ colorScheme: scheme });
      const found: string[] = [];
      for (const route of routes()) {
        await page.goto(`${demo.dashboard.url}${route}`);
        await page.waitForLoadState('networkidle');
        // Charts draw once the browser has measured them.
        await page.waitForTimeout(200);
        found.push(...(await layoutProblems(page, route)));
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const violation of results.violations) {
          if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
          const where = violation.nodes
            .slice(0, 3)
            .map((node) => `${node.target.join(' ')}: ${node.failureSummary?.split('\n')[1]?.trim() ?? ''}`);
          found.push(`${route} ${violation.id} (${violation.nodes.length}): ${where.join(' | ')}`);
        }
      }
      expect(found, found.join('\n')).toEqual([]);
    });
  }
}
