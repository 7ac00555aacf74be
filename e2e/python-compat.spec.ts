import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { PYTHON_EVENTS_DDL } from '../tests/helpers';
import { sql, startDashboard } from './tenant';

/** A data directory as the Python HydraMem leaves it: metrics.db with its events table only, shared by two projects. */
function pythonDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-python-'));
  const db = new Database(path.join(dataDir, 'metrics.db'));
  db.pragma('journal_mode = WAL');
  db.exec(PYTHON_EVENTS_DDL);
  const insert = db.prepare(
    'INSERT INTO events (ts, project, tool_name, tokens_injected, tokens_baseline, latency_ms) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const now = Date.now();
  for (let index = 0; index < 300; index++) {
    const ts = new Date(now - index * 3_000_000).toISOString().replace('Z', '000+00:00');
    insert.run(ts, 'alice', index % 3 === 0 ? 'ingest_markdown' : 'hydra_search_tool', 200 + index, 1500, 5 + (index % 40));
    insert.run(ts, 'bob', 'bob_private_tool', 1, 999_999, 900);
  }
  db.close();
  return dataDir;
}

test('a Python HydraMem data directory shows calls, latency and tokens per tool, and says what needs our writer', async ({
  page,
  request,
}) => {
  const dataDir = pythonDataDir();
  const metrics = path.join(dataDir, 'metrics.db');
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: 'alice' });
  try {
    const ready = await request.get(`${dashboard.url}/readyz`);
    expect(ready.status()).toBe(200);
    const now = Date.now();
    const range = `from=${new Date(now - 30 * 86_400_000).toISOString().slice(0, 16)}Z&to=${new Date(now + 3_600_000).toISOString().slice(0, 16)}Z`;
    await page.goto(`${dashboard.url}/?${range}`);
    await expect(page.getByRole('note')).toContainText('Python HydraMem telemetry file');
    const [totals] = sql<{ calls: number; injected: number; baseline: number }>(
      metrics,
      "SELECT COUNT(*) AS calls, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = 'alice'",
    );
    expect(Number(await page.getByTestId('kpi-calls').getAttribute('data-value'))).toBe(totals?.calls);
    expect(Number(await page.getByTestId('kpi-tokens-saved').getAttribute('data-value'))).toBe(
      Math.max(0, (totals?.baseline ?? 0) - (totals?.injected ?? 0)),
    );
    const tools = sql<{ tool_name: string; calls: number }>(
      metrics,
      "SELECT tool_name, COUNT(*) AS calls FROM events WHERE project = 'alice' GROUP BY tool_name ORDER BY calls DESC",
    );
    const rows = page.getByTestId('tool-table').locator('tbody tr');
    await expect(rows).toHaveCount(tools.length);
    for (const [index, tool] of tools.entries()) {
      await expect(rows.nth(index).locator('td').first()).toHaveText(tool.tool_name);
      await expect(rows.nth(index).locator('td').nth(1)).toHaveAttribute('data-value', String(tool.calls));
    }
    await expect(page.locator('body')).not.toContainText('bob_private_tool');
    await expect(page.getByTestId('kpi-error-rate')).toHaveCount(0);
    await expect(page.locator('#calls-per-tool .recharts-bar-rectangle').first()).toBeAttached();
    await page.screenshot({ path: 'test-results/screenshots/python-overview.png', fullPage: true });
    await page.goto(`${dashboard.url}/ingest`);
    await expect(page.getByText('ingest activity needs the HydraMem writer')).toBeVisible();
    await page.goto(`${dashboard.url}/graph`);
    await expect(page.getByText('There is no graph.db in this data directory')).toBeVisible();
    await page.goto(`${dashboard.url}/queries`);
    await expect(page.getByText('which keeps no query log')).toBeVisible();
    expect(fs.readdirSync(dataDir).sort()).toEqual(['metrics.db']); // read-only: nothing created
  } finally {
    await dashboard.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
