import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runCli } from '../tests/helpers';
import { buildDemoTenant, sql, sqlValue, startDashboard } from './tenant';

test('the gardener page shows the runs, the latest run and the export/import history the writer recorded', async ({ page }) => {
  test.setTimeout(120_000);
  const tenant = buildDemoTenant('kestrel');
  const env = {
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    HYDRAMEM_FEDERATION_SECRET: 'e2e-federation-secret',
  };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-export-'));
  try {
    expect(runCli(['garden', '--json'], env).code).toBe(0);
    expect(runCli(['garden', '--json'], env).code).toBe(0);
    expect(runCli(['export', path.join(out, 'kestrel.json'), '--issuer', 'kestrel-lab'], env).code).toBe(0);
    const refused = runCli(['import', path.join(out, 'kestrel.json'), '--accept-issuer', 'someone-else'], env);
    expect(refused.code).toBe(14);
    const metrics = path.join(tenant.dataDir, 'metrics.db');
    const [latest] = sql<{ status: string; entities_merged: number; orphans_pruned: number }>(
      metrics,
      'SELECT status, entities_merged, orphans_pruned FROM garden_runs WHERE project = ? ORDER BY started_at DESC, id DESC LIMIT 1',
      tenant.project,
    );
    const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
    try {
      await page.goto(`${dashboard.url}/gardener?range=90d`);
      await expect(page.getByTestId('garden-latest-status')).toHaveAttribute('data-value', latest?.status ?? 'missing');
      await expect(page.getByTestId('garden-latest-counters')).toContainText(`${latest?.entities_merged} merged`);
      await expect(page.getByTestId('garden-runs').locator('tbody tr')).toHaveCount(
        sqlValue(metrics, 'SELECT COUNT(*) FROM garden_runs WHERE project = ?', tenant.project),
      );
      const history = page.getByTestId('federation-history').locator('tbody tr');
      await expect(history).toHaveCount(
        sqlValue(metrics, 'SELECT COUNT(*) FROM federation_log WHERE project = ?', tenant.project),
      );
      const direction = (text: string) => history.filter({ has: page.locator('td:nth-child(2)', { hasText: text }) });
      await expect(direction('import')).toContainText('refused');
      await expect(direction('import')).toContainText('unknown-issuer');
      await expect(direction('export')).toContainText('kestrel-lab');
      for (const name of ['Night Gardener runs by status', 'Longest Night Gardener run']) {
        await expect(page.getByRole('figure', { name }).locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
      }
      await page.screenshot({ path: 'test-results/screenshots/gardener.png', fullPage: true });
    } finally {
      await dashboard.stop();
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
