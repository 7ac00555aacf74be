import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SLOW_TEXT, writeBigQueryLog } from '../tests/helpers';
import { startDashboard, type RunningDashboard } from './tenant';

// A tenant whose query log holds 250k long searches: a text filter too short for the trigram index
// that matches nothing reads them all (about 2 s here), far over the 300 ms budget this dashboard
// runs with. Eight read threads, so a quick read never waits behind the slow ones for a thread:
// a stopped read holds its thread until its statement ends.
const BUDGET_MS = 300;
const SLOW = `/queries?range=90d&q=${SLOW_TEXT}`;
let dataDir: string;
let dashboard: RunningDashboard;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-e2e-budget-'));
  writeBigQueryLog(dataDir, 'big', 250_000, new Date().toISOString().slice(0, 19));
  dashboard = await startDashboard({
    HYDRAMEM_DATA_DIR: dataDir,
    HYDRAMEM_PROJECT: 'big',
    DASHBOARD_QUERY_BUDGET_MS: String(BUDGET_MS),
    DASHBOARD_READ_THREADS: '8',
  });
  // A viewer has usually loaded a page before: the read threads have started, all of them (the
  // slow page's reads queue up, so the pool grows to its limit), and none is slow to start later.
  await fetch(`${dashboard.url}${SLOW}`);
  await untilStoppedReadsEnd();
});

/** Until the stopped reads have let their threads go: a quick page reads within budget again. */
async function untilStoppedReadsEnd(): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    const quick = await (await fetch(`${dashboard.url}/queries?range=1h`)).text();
    if (!quick.includes('data-read-problem')) return;
  }
}

test.afterAll(async () => {
  await dashboard?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a read over budget says so in its panel, and the rest of the page renders with 200', async ({ page }) => {
  const response = await page.goto(`${dashboard.url}${SLOW}`);
  expect(response?.status()).toBe(200);
  const log = page.locator('#query-log');
  await expect(log.locator('[data-read-problem="budget"]')).toHaveText(
    /This view took longer than 300 ms and was stopped, so the rest of the page could load\. Try a shorter time range or fewer filters/,
  );
  // The filters stay, so the viewer can narrow the view.
  await expect(log.getByTestId('query-filters')).toBeVisible();
  // The highlights follow the log's filters, so they read the same rows and stop the same way.
  for (const panel of ['#slowest', '#zero-results']) {
    await expect(page.locator(`${panel} [data-read-problem="budget"]`)).toHaveCount(1);
  }
  // The latency chart reads the writer's rollups (this fixture has none), quickly, and shows its figure.
  await expect(page.getByRole('figure', { name: 'Search latency percentiles' })).toBeVisible();
  await expect(page.locator('#search-latency [data-read-problem]')).toHaveCount(0);
  await expect(page.locator('[data-read-problem]')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/screenshots/read-over-budget.png', fullPage: true });
  // The same log without the text filter reads only its page and its capped count: within budget,
  // once the slow page's stopped reads have ended (each holds its thread until its statement ends).
  await untilStoppedReadsEnd();
  await page.goto(`${dashboard.url}/queries?range=90d`);
  await expect(page.getByTestId('query-count')).toHaveText('10.0k+ matching searches');
  await expect(page.getByTestId('query-count')).toHaveAttribute('data-value', '10000');
  await expect(page.getByTestId('slowest').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('zero-results').locator('tbody tr')).toHaveCount(10);
  await expect(page.locator('[data-read-problem]')).toHaveCount(0);
});

test('/healthz answers while slow reads run, and an export of a slow view says why it cannot', async ({ request }) => {
  const finished: string[] = [];
  const slow = Array.from({ length: 6 }, async (_, index) => {
    const answer = await request.get(`${dashboard.url}${SLOW}`);
    finished.push(`slow ${index} ${answer.status()}`);
  });
  const health = await request.get(`${dashboard.url}/healthz`);
  finished.push(`healthz ${health.status()}`);
  await Promise.all(slow);
  // The probe came back before any of the slow pages did.
  expect(finished[0]).toBe('healthz 200');
  expect(finished.filter((line) => line.endsWith(' 200'))).toHaveLength(7);
  const exported = await request.get(`${dashboard.url}/api/export/query-log?range=90d&q=${SLOW_TEXT}&format=csv`);
  expect(exported.status()).toBe(503);
  expect(await exported.json()).toEqual({
    error: `reading took longer than ${BUDGET_MS} ms (DASHBOARD_QUERY_BUDGET_MS); narrow the range or the filters`,
  });
});
