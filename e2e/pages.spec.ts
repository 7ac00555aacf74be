import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildDemoTenant, sql, sqlValue, startDashboard } from './tenant';

const SHOTS = 'test-results/screenshots';
let tenant: { dataDir: string; project: string };
let dashboard: { url: string; stop(): Promise<void> };
let metrics: string;
let graph: string;
/** A range that holds the whole demo history, so on-screen totals equal the test's own counts. */
let range: string;

test.beforeAll(async () => {
  tenant = buildDemoTenant('kestrel');
  metrics = path.join(tenant.dataDir, 'metrics.db');
  graph = path.join(tenant.dataDir, 'graph.db');
  dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
  range = `from=${iso(now - 40 * 86_400_000)}&to=${iso(now + 3_600_000)}`;
});

test.afterAll(async () => {
  await dashboard?.stop();
  if (tenant) fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});

/** Opens a page and fails the test on any console error or HTTP error response. */
async function visit(page: Page, route: string): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${dashboard.url}${route}`);
  return problems;
}

async function numberOf(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-value'));
}

/** Waits until every chart has drawn its data (a chart that renders empty fails), then keeps a full-page screenshot. */
async function screenshot(page: Page, name: string): Promise<void> {
  const charts = page.locator('.recharts-wrapper');
  const count = await charts.count();
  for (let index = 0; index < count; index++) {
    await expect(charts.nth(index).locator('.recharts-line-curve, .recharts-bar-rectangle').first()).toBeAttached();
  }
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test("overview: KPIs equal the test's own sums over the events and the graph", async ({ page }) => {
  const problems = await visit(page, `/?${range}`);
  await expect(page.getByTestId('tenant-project')).toContainText('project kestrel');
  // This dashboard runs with DASHBOARD_AUTH_MODE=none: every page says so.
  await expect(page.getByTestId('no-auth-banner')).toContainText('No sign-in');
  const calls = sqlValue(metrics, 'SELECT COUNT(*) FROM events WHERE project = ?', tenant.project);
  const [tokens] = sql<{ injected: number; baseline: number }>(
    metrics,
    'SELECT SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = ?',
    tenant.project,
  );
  const searches = sqlValue(metrics, 'SELECT COUNT(*) FROM query_log WHERE project = ?', tenant.project);
  expect(calls).toBeGreaterThan(100);
  expect(await numberOf(page, 'kpi-calls')).toBe(calls);
  expect(await numberOf(page, 'kpi-searches')).toBe(searches);
  expect(await numberOf(page, 'kpi-tokens-saved')).toBe(Math.max(0, (tokens?.baseline ?? 0) - (tokens?.injected ?? 0)));
  expect(await numberOf(page, 'kpi-documents-ingested')).toBe(
    sqlValue(metrics, "SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND status = 'ok'", tenant.project),
  );
  expect(await numberOf(page, 'kpi-entities')).toBe(
    sqlValue(graph, 'SELECT COUNT(*) FROM entities WHERE project = ?', tenant.project),
  );
  // p50 from the histogram is within its bin of the true median of the logged latencies.
  const latencies = sql<{ latency_ms: number }>(metrics, 'SELECT latency_ms FROM query_log ORDER BY latency_ms').map(
    (r) => r.latency_ms,
  );
  const median = latencies[Math.floor(latencies.length / 2)] ?? 0;
  const p50 = await numberOf(page, 'kpi-p50');
  expect(p50).toBeGreaterThan(median * 0.5);
  expect(p50).toBeLessThan(median * 2 + 1);
  await expect(page.getByTestId('last-tool-call')).not.toHaveText('no tool calls yet');
  await screenshot(page, 'overview');
  expect(problems).toEqual([]);
});

test('ingest: totals and tables match the ingest_runs rows', async ({ page }) => {
  const problems = await visit(page, `/ingest?${range}`);
  const count = (status: string) =>
    sqlValue(metrics, 'SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND status = ?', tenant.project, status);
  const totals = page.getByTestId('ingest-totals').locator('dd');
  expect(Number(await totals.nth(0).getAttribute('data-value'))).toBe(count('ok'));
  expect(Number(await totals.nth(1).getAttribute('data-value'))).toBe(count('skipped'));
  expect(Number(await totals.nth(2).getAttribute('data-value'))).toBe(count('failed'));
  await expect(page.getByTestId('ingest-runs')).toContainText('front matter is not valid YAML');
  await page.getByRole('link', { name: 'failed', exact: true }).click();
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByTestId('ingest-runs').locator('tbody tr')).toHaveCount(count('failed'));
  const sources = sqlValue(metrics, 'SELECT COUNT(DISTINCT path) FROM ingest_runs WHERE project = ?', tenant.project);
  await expect(page.getByTestId('ingest-sources').locator('tbody tr')).toHaveCount(sources);
  await screenshot(page, 'ingest');
  expect(problems).toEqual([]);
});

test('each chart downloads as a PNG twice its size and its data as CSV the test can sum', async ({ page }) => {
  const problems = await visit(page, `/ingest?${range}`);
  const figure = page.getByRole('figure', { name: 'Files processed by status' });
  const surface = figure.locator('.recharts-wrapper > svg.recharts-surface');
  await expect(surface).toBeVisible();
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Download Files processed by status data as CSV' }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toBe('files-processed-by-status.csv');
  const lines = fs
    .readFileSync(await csvDownload.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(lines[0]).toBe('bucket,ok,skipped,failed');
  const okSum = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',').at(-3)), 0);
  expect(okSum).toBe(sqlValue(metrics, "SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND status = 'ok'", tenant.project));
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('button', { name: 'Download Files processed by status as PNG' }).click(),
  ]);
  const png = fs.readFileSync(await pngDownload.path());
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  // Twice the chart's size, plus a title row (28 px), a legend row (28 px) and at least one footer line
  // (tenant, project, range, time zone, time made: e2e/report.spec.ts reads what it says).
  const box = await surface.boundingBox();
  expect(png.readUInt32BE(16)).toBe(Math.round((box?.width ?? 0) * 2));
  expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(Math.round(((box?.height ?? 0) + 56 + 8 + 15) * 2));
  fs.copyFileSync(await pngDownload.path(), 'test-results/screenshots/chart-download.png');
  expect(problems).toEqual([]);
});

test('graph: totals from the snapshot equal the graph; the entity page lists its neighbours', async ({ page }) => {
  const problems = await visit(page, `/graph?${range}`);
  for (const table of ['documents', 'chunks', 'entities', 'relations']) {
    expect(await numberOf(page, `graph-total-${table}`)).toBe(
      // Relations that hold now: closed periods are history.
      sqlValue(
        graph,
        `SELECT COUNT(*) FROM ${table} WHERE project = ?${table === 'relations' ? ' AND valid_until IS NULL' : ''}`,
        tenant.project,
      ),
    );
  }
  // Connected components, found here by a breadth-first walk over the relations (undirected).
  const neighbours = new Map<string, string[]>();
  for (const { id } of sql<{ id: string }>(graph, 'SELECT id FROM entities WHERE project = ?', tenant.project))
    neighbours.set(id, []);
  for (const { from_id, to_id } of sql<{ from_id: string; to_id: string }>(
    graph,
    'SELECT from_id, to_id FROM relations WHERE valid_until IS NULL AND project = ?',
    tenant.project,
  )) {
    neighbours.get(from_id)?.push(to_id);
    neighbours.get(to_id)?.push(from_id);
  }
  const seen = new Set<string>();
  const sizes: number[] = [];
  for (const start of neighbours.keys()) {
    if (seen.has(start)) continue;
    const queue = [start];
    seen.add(start);
    for (let i = 0; i < queue.length; i++) {
      for (const next of neighbours.get(queue[i] as string) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    sizes.push(queue.length);
  }
  expect(await numberOf(page, 'graph-total-components')).toBe(sizes.length);
  expect(await numberOf(page, 'graph-total-largest')).toBe(Math.max(...sizes));
  const [hub] = sql<{ id: string; name: string; degree: number }>(
    graph,
    `SELECT e.id, e.name, (SELECT COUNT(*) FROM relations WHERE valid_until IS NULL AND from_id = e.id) + (SELECT COUNT(*) FROM relations WHERE valid_until IS NULL AND to_id = e.id) AS degree
     FROM entities e WHERE e.project = ? ORDER BY degree DESC, e.name LIMIT 1`,
    tenant.project,
  );
  await expect(page.getByTestId('top-hubs').locator('tbody tr').first()).toContainText(`${hub?.name}`);
  await screenshot(page, 'graph');
  await page
    .getByTestId('top-hubs')
    .getByRole('link', { name: hub?.name ?? '' })
    .click();
  await expect(page.getByRole('heading', { name: hub?.name ?? '' })).toBeVisible();
  const others = sqlValue(
    graph,
    'SELECT COUNT(DISTINCT other) FROM (SELECT to_id AS other FROM relations WHERE valid_until IS NULL AND from_id = ? UNION ALL SELECT from_id FROM relations WHERE valid_until IS NULL AND to_id = ?)',
    hub?.id,
    hub?.id,
  );
  await expect(page.locator('#neighbours h2')).toHaveText(`Neighbours (${others} entities over ${hub?.degree} relations)`);
  await screenshot(page, 'entity');

  await page.goto(`${dashboard.url}/graph?${range}&q=telemetry`);
  const matches = sqlValue(graph, "SELECT COUNT(*) FROM entities WHERE project = ? AND norm LIKE '%telemetry%'", tenant.project);
  await expect(page.getByTestId('entity-matches').locator('li')).toHaveCount(matches);
  expect(problems).toEqual([]);
});

test('queries: counts, filters, pages and the detail view follow the query_log', async ({ page }) => {
  const problems = await visit(page, `/queries?${range}&size=25`);
  const total = sqlValue(metrics, 'SELECT COUNT(*) FROM query_log WHERE project = ?', tenant.project);
  expect(await numberOf(page, 'query-count')).toBe(total);
  await expect(page.getByTestId('query-log').locator('tbody tr')).toHaveCount(25);
  const [newest] = sql<{ id: number; query: string }>(
    metrics,
    'SELECT id, query FROM query_log WHERE project = ? ORDER BY ts DESC, id DESC LIMIT 1',
    tenant.project,
  );
  await expect(page.getByTestId('query-log').locator('tbody tr').first()).toHaveAttribute('data-row-id', String(newest?.id));
  await screenshot(page, 'queries');

  // Page two starts exactly where page one ended.
  const secondIds = sql<{ id: number }>(
    metrics,
    'SELECT id FROM query_log WHERE project = ? ORDER BY ts DESC, id DESC LIMIT 25 OFFSET 25',
    tenant.project,
  );
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(page.getByTestId('query-log').locator('tbody tr').first()).toHaveAttribute(
    'data-row-id',
    String(secondIds[0]?.id),
  );

  await page.goto(`${dashboard.url}/queries?${range}&zero=1`);
  expect(await numberOf(page, 'query-count')).toBe(
    sqlValue(metrics, "SELECT COUNT(*) FROM query_log WHERE project = ? AND result_count = 0 AND status = 'ok'", tenant.project),
  );
  await page.goto(`${dashboard.url}/queries?${range}&sort=latency_desc&size=5`);
  const [slowest] = sql<{ id: number }>(
    metrics,
    'SELECT id FROM query_log WHERE project = ? ORDER BY latency_ms DESC, id DESC LIMIT 1',
    tenant.project,
  );
  await expect(page.getByTestId('query-log').locator('tbody tr').first()).toHaveAttribute('data-row-id', String(slowest?.id));

  await page.goto(`${dashboard.url}/queries/${newest?.id}?${range}`);
  await expect(page.getByTestId('query-detail')).toContainText(newest?.query ?? '');
  const returned = sql<{ chunk_ids: string }>(metrics, 'SELECT chunk_ids FROM query_log WHERE id = ?', newest?.id)[0];
  await expect(page.getByTestId('returned-chunks').locator(':scope > li')).toHaveCount(
    JSON.parse(returned?.chunk_ids ?? '[]').length,
  );
  await screenshot(page, 'query-detail');
  expect(problems).toEqual([]);
});
