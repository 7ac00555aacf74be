import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { buildDemoTenant, startDashboard } from './tenant';

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

test('the production build shows the tenant and its stores, read by a real writer', async ({ page }) => {
  const tenant = buildDemoTenant('kestrel');
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  try {
    await page.goto(dashboard.url);
    await expect(page.getByRole('heading', { name: 'HydraMem' })).toBeVisible();
    await expect(page.getByText('project kestrel')).toBeVisible();
    await expect(page.getByTestId('metrics-state')).toHaveText(
      `schema version ${userVersion(path.join(tenant.dataDir, 'metrics.db'))}`,
    );
    await expect(page.getByTestId('graph-state')).toHaveText(
      `schema version ${userVersion(path.join(tenant.dataDir, 'graph.db'))}`,
    );
    await page.screenshot({ path: 'test-results/screenshots/stores.png', fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
