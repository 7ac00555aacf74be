import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addRivalProject, buildDemoTenant, RIVAL_SECRET as SECRET, sqlValue, startDashboard } from './tenant';

test("a dashboard configured for one project never shows another project's rows, whatever the URL says", async ({
  page,
  request,
}) => {
  const tenant = buildDemoTenant('kestrel');
  const rival = addRivalProject(tenant.dataDir);
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    const now = Date.now();
    const range = `from=${new Date(now - 40 * 86_400_000).toISOString().slice(0, 16)}Z&to=${new Date(now + 3_600_000).toISOString().slice(0, 16)}Z`;
    const attempts = [
      `/?${range}`,
      `/?${range}&project=rival`,
      `/ingest?${range}&project=rival`,
      `/ingest?${range}&status=failed`,
      `/graph?${range}&q=rival`,
      `/graph?${range}&q=RIVAL&project=rival`,
      `/graph/entity/${rival.entityId}?project=rival`,
      `/queries?${range}&project=rival`,
      `/queries?${range}&q=RIVAL`,
      `/queries?${range}&user=rival-user`,
      `/queries?${range}&session=rival-session`,
      `/queries?${range}&sort=latency_desc`,
      `/queries/${rival.queryId}?project=rival`,
      `/api/export/query-log?${range}&format=csv`,
      `/api/export/query-log?${range}&format=json&q=RIVAL`,
      `/api/export/query-log?${range}&project=rival`,
      `/api/export/ingest-runs?${range}&format=json`,
      `/api/export/entities?format=csv`,
      `/api/export/entities?project=rival&format=json`,
      `/readyz?project=rival`,
      `/healthz?project=rival`,
    ];
    // The URLs name the rival project and its user and session, but never the marker in its data.
    for (const attempt of attempts) {
      const response = await request.get(`${dashboard.url}${attempt}`, {
        headers: { 'x-hydramem-project': 'rival', host: 'rival.example' },
      });
      const body = await response.text();
      expect(body, attempt).not.toContain(SECRET);
    }
    await page.goto(`${dashboard.url}/?${range}&project=rival`);
    await expect(page.getByText('project "rival" is not part of this dashboard; showing kestrel')).toBeVisible();
    // The rival's rollups (100,000 calls and searches, 77,777 ingested files) would move these numbers.
    const metrics = path.join(tenant.dataDir, 'metrics.db');
    const kpi = async (id: string) => Number(await page.getByTestId(`kpi-${id}`).getAttribute('data-value'));
    expect(await kpi('calls')).toBe(sqlValue(metrics, "SELECT COUNT(*) FROM events WHERE project = 'kestrel'"));
    expect(await kpi('searches')).toBe(sqlValue(metrics, "SELECT COUNT(*) FROM query_log WHERE project = 'kestrel'"));
    expect(await kpi('documents-ingested')).toBe(
      sqlValue(metrics, "SELECT COUNT(*) FROM ingest_runs WHERE project = 'kestrel' AND status = 'ok'"),
    );
    // Exports: the project's own rows, with the page's filters, capped with a marker.
    const exported = async (url: string) =>
      JSON.parse(await (await request.get(`${dashboard.url}${url}&format=json`)).text()) as {
        rowCount: number;
        truncated: boolean;
      };
    const inRange = "project = 'kestrel' AND ts >= ? AND ts < ?";
    const [from, to] = [
      new Date(now - 40 * 86_400_000).toISOString().slice(0, 16),
      new Date(now + 3_600_000).toISOString().slice(0, 16),
    ];
    const bounds = [`${from}:00.000000+00:00`, `${to}:00.000000+00:00`];
    expect((await exported(`/api/export/query-log?${range}`)).rowCount).toBe(
      sqlValue(metrics, `SELECT COUNT(*) FROM query_log WHERE ${inRange}`, ...bounds),
    );
    expect((await exported(`/api/export/query-log?${range}&zero=1`)).rowCount).toBe(
      sqlValue(metrics, `SELECT COUNT(*) FROM query_log WHERE ${inRange} AND result_count = 0 AND status = 'ok'`, ...bounds),
    );
    expect((await exported(`/api/export/ingest-runs?${range}&status=failed`)).rowCount).toBe(
      sqlValue(metrics, `SELECT COUNT(*) FROM ingest_runs WHERE ${inRange} AND status = 'failed'`, ...bounds),
    );
    expect((await exported('/api/export/entities?type=person')).rowCount).toBe(
      sqlValue(
        path.join(tenant.dataDir, 'graph.db'),
        "SELECT COUNT(*) FROM entities WHERE project = 'kestrel' AND type = 'person'",
      ),
    );
    const capped = await startDashboard({
      HYDRAMEM_DATA_DIR: tenant.dataDir,
      HYDRAMEM_PROJECT: tenant.project,
      DASHBOARD_EXPORT_MAX_ROWS: '25',
    });
    try {
      const csv = await (await request.get(`${capped.url}/api/export/query-log?${range}&format=csv`)).text();
      expect(csv.trimEnd().split('\r\n')).toHaveLength(27);
      expect(csv).toMatch(/# truncated: this export stops at 25 rows/);
      const json = JSON.parse(await (await request.get(`${capped.url}/api/export/entities?format=json`)).text()) as Record<
        string,
        unknown
      >;
      expect(json).toMatchObject({ rowCount: 25, truncated: true, cap: 25, project: 'kestrel' });
    } finally {
      await capped.stop();
    }
    await page.goto(`${dashboard.url}/queries/${rival.queryId}`);
    await expect(page.getByText(`No search with id ${rival.queryId} in project kestrel.`)).toBeVisible();
    await page.goto(`${dashboard.url}/graph/entity/${rival.entityId}`);
    await expect(page.getByText(`No entity with id ${rival.entityId} in project kestrel.`)).toBeVisible();
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
