import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { buildDemoTenant, sql, sqlValue, startDashboard, type RunningDashboard } from './tenant';

// Daily use: what a KPI card's change means, an entity's neighbours, why a search returned a chunk.
// One demo tenant built by the real writer; every expected value comes from this file's own SQL.
let tenant: { dataDir: string; project: string };
let dashboard: RunningDashboard;
let metrics: string;
let graph: string;
/** A search the test copied as the writer logged it before it recorded scores: chunk_hits '[]'. */
let oldSearchId: number;

const HOUR = 3_600_000;
const RANGES = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '90d': 90 * 24 * HOUR } as const;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');
const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
/** A card's text starts with the change (then what it is against). */
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

test.beforeAll(async () => {
  tenant = buildDemoTenant('kestrel');
  metrics = path.join(tenant.dataDir, 'metrics.db');
  graph = path.join(tenant.dataDir, 'graph.db');
  const db = new Database(metrics);
  const copied = db
    .prepare(
      `INSERT INTO query_log (ts, project, session_id, user_id, memory_id, tool, query, result_count, top_score, latency_ms,
         tokens_injected, tokens_baseline, chunk_ids, entity_ids, status, error, key_prefix, key_env)
       SELECT ts, project, session_id, user_id, memory_id, tool, query, result_count, top_score, latency_ms, tokens_injected,
         tokens_baseline, chunk_ids, entity_ids, status, error, key_prefix, key_env
       FROM query_log WHERE project = ? AND result_count > 0 ORDER BY id LIMIT 1`,
    )
    .run(tenant.project);
  oldSearchId = Number(copied.lastInsertRowid);
  db.close();
  dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
});

test.afterAll(async () => {
  await dashboard?.stop();
  if (tenant) fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});

/** The change a card must show, from the two values the test counted itself (null: nothing before). */
function expectedChange(now: number, before: number | null): string {
  if (before === null) return 'no earlier data';
  const difference = now - before;
  if (difference === 0) return 'no change';
  const ratio = before === 0 ? Infinity : difference / Math.abs(before);
  if (Math.abs(before) >= 10 && Math.abs(ratio) <= 10) {
    const pct = Math.abs(ratio * 100);
    return `${difference > 0 ? '▲' : '▼'} ${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
  }
  return `${difference > 0 ? '▲ +' : '▼ −'}${Math.abs(difference).toLocaleString('en-US')}`;
}

const countEvents = (from: number, to: number) =>
  sqlValue(metrics, 'SELECT COUNT(*) FROM events WHERE project = ? AND ts >= ? AND ts < ?', tenant.project, iso(from), iso(to));
const countOk = (from: number, to: number) =>
  sqlValue(
    metrics,
    "SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND status = 'ok' AND ts >= ? AND ts < ?",
    tenant.project,
    iso(from),
    iso(to),
  );
const countRuns = (from: number, to: number) =>
  sqlValue(
    metrics,
    'SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND ts >= ? AND ts < ?',
    tenant.project,
    iso(from),
    iso(to),
  );
/** The graph's size the writer logged last before `at`, or null when it logged none. */
const sizeBefore = (at: number, column: 'entities' | 'relations' | 'chunks'): number | null =>
  sql<{ n: number }>(
    graph,
    `SELECT ${column} AS n FROM graph_size_log WHERE project = ? AND at < ? ORDER BY at DESC LIMIT 1`,
    tenant.project,
    iso(at),
  )[0]?.n ?? null;

/**
 * The end of a 1-hour window in which the reported defect shows: a call a minute before the
 * previous window starts, in the same clock hour, and no call in either window.
 */
function quietHourAfterACall(): number {
  const times = sql<{ ts: string }>(metrics, 'SELECT ts FROM events WHERE project = ? ORDER BY ts', tenant.project).map((row) =>
    Date.parse(row.ts.replace(/(\.\d{3})\d+/, '$1')),
  );
  for (const [index, at] of times.entries()) {
    const start = Math.ceil((at + 1) / 60_000) * 60_000; // the previous window's start, on a minute
    const next = times[index + 1] ?? Infinity;
    const quiet = next >= start + 5 * HOUR && start + 2 * HOUR <= Date.now();
    if (Math.floor(start / HOUR) === Math.floor(at / HOUR) && quiet) return start + 2 * HOUR;
  }
  throw new Error('no quiet hours after a call in the demo');
}

test('each KPI card compares the quantity it shows with the same previous window, at 1h, 24h, 7d and 90d', async ({ page }) => {
  test.setTimeout(240_000);
  const ends: Array<[keyof typeof RANGES, number]> = [
    ['1h', quietHourAfterACall()],
    ...(Object.keys(RANGES) as Array<keyof typeof RANGES>).map((name): [keyof typeof RANGES, number] => [
      name,
      Math.floor(Date.now() / 60_000) * 60_000 + 60_000,
    ]),
  ];
  const entitiesNow = sqlValue(graph, 'SELECT COUNT(*) FROM entities WHERE project = ?', tenant.project);
  for (const [name, to] of ends) {
    const from = to - RANGES[name];
    const before = from - RANGES[name];
    await page.goto(`${dashboard.url}/?range=${name}&to=${minute(to)}`);
    const label = `${name} ending ${minute(to)}`;
    const calls = countEvents(from, to);
    const earlierCalls = countEvents(before, from);
    await expect(page.getByTestId('kpi-calls'), label).toHaveAttribute('data-value', String(calls));
    await expect(page.getByTestId('kpi-change-calls'), label).toHaveText(
      startsWith(expectedChange(calls, earlierCalls === 0 ? null : earlierCalls)),
    );
    const ok = countOk(from, to);
    await expect(page.getByTestId('kpi-documents-ingested'), label).toHaveAttribute('data-value', String(ok));
    await expect(page.getByTestId('kpi-change-documents-ingested'), label).toHaveText(
      startsWith(expectedChange(ok, countRuns(before, from) === 0 ? null : countOk(before, from))),
    );
    for (const column of ['entities', 'relations', 'chunks'] as const) {
      // Relations that hold now: a closed period is history, not part of the graph.
      const current = column === 'relations' ? ' AND valid_until IS NULL' : '';
      const now = sqlValue(graph, `SELECT COUNT(*) FROM ${column} WHERE project = ?${current}`, tenant.project);
      // A range that ended before the graph last changed shows the size at its end.
      const changedSince =
        sqlValue(graph, 'SELECT COUNT(*) FROM graph_size_log WHERE project = ? AND at >= ?', tenant.project, iso(to)) > 0;
      const shown = (changedSince ? sizeBefore(to, column) : null) ?? now;
      await expect(page.getByTestId(`kpi-${column}`), label).toHaveAttribute('data-value', String(shown));
      const start = sizeBefore(from, column);
      await expect(page.getByTestId(`kpi-change-${column}`), `${label}: ${column}`).toHaveText(
        start === null ? 'no earlier data' : `${expectedChange(shown, start)} since the range's start`,
      );
    }
    await page.goto(`${dashboard.url}/graph?range=${name}&to=${minute(to)}`);
    const start = sizeBefore(from, 'entities');
    await expect(page.getByTestId('graph-change-entities'), label).toHaveText(
      start === null ? 'no earlier data' : `${expectedChange(entitiesNow, start)} since the range's start`,
    );
  }
  // The Growth chart ends where the cards do: the last size the writer logged, merges included.
  await page.goto(`${dashboard.url}/graph?range=7d`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .locator('#growth')
      .getByRole('button', { name: /as CSV/ })
      .click(),
  ]);
  const [head = '', ...rows] = fs
    .readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  const lastRow = (rows.at(-1) ?? '').split(',');
  const columns = head.split(',');
  for (const column of ['entities', 'relations'] as const) {
    const current = column === 'relations' ? ' AND valid_until IS NULL' : '';
    expect(Number(lastRow[columns.indexOf(column)]), `Growth: ${column}`).toBe(
      sqlValue(graph, `SELECT COUNT(*) FROM ${column} WHERE project = ?${current}`, tenant.project),
    );
  }
  // The two reported cases, in the words a user sees.
  await page.goto(`${dashboard.url}/?range=1h&to=${minute(quietHourAfterACall())}`);
  await expect(page.getByTestId('kpi-change-calls')).toHaveText('no earlier data');
  await page.goto(`${dashboard.url}/?range=90d`);
  await expect(page.getByTestId('kpi-change-entities')).toHaveText('no earlier data');
});

test('an entity page groups neighbours by relation type and direction, each once, with the notes behind them', async ({
  page,
}) => {
  // The entity with a neighbour over the most relation types: the one a flat list repeated most.
  const [entity] = sql<{ id: string }>(
    graph,
    `SELECT me AS id FROM (SELECT from_id AS me, to_id AS other, type FROM relations WHERE valid_until IS NULL AND project = ?
       UNION ALL SELECT to_id, from_id, type FROM relations WHERE valid_until IS NULL AND project = ?)
     GROUP BY me, other ORDER BY COUNT(*) DESC, me LIMIT 1`,
    tenant.project,
    tenant.project,
  );
  await page.goto(`${dashboard.url}/graph/entity/${entity?.id}`);
  const groups = page.getByTestId('relation-group');
  const expected = sql<{ type: string; direction: string; n: number }>(
    graph,
    `SELECT type, direction, COUNT(DISTINCT other) AS n FROM (
       SELECT type, CASE WHEN type = 'CO_OCCURS' THEN 'both' ELSE 'out' END AS direction, to_id AS other FROM relations WHERE valid_until IS NULL AND from_id = ?
       UNION ALL SELECT type, CASE WHEN type = 'CO_OCCURS' THEN 'both' ELSE 'in' END, from_id FROM relations WHERE valid_until IS NULL AND to_id = ?)
     GROUP BY type, direction`,
    entity?.id,
    entity?.id,
  );
  await expect(groups).toHaveCount(Math.min(expected.length, 30));
  for (const group of expected) {
    const section = page.locator(
      `[data-testid="relation-group"][data-type="${group.type}"][data-direction="${group.direction}"]`,
    );
    const ids = await section
      .getByTestId('relation-neighbour')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
    expect(ids.length, group.type).toBe(Math.min(group.n, 25));
    expect(new Set(ids).size, `${group.type} ${group.direction}: each neighbour once`).toBe(ids.length);
    await expect(section.locator('h3')).toContainText(
      group.direction === 'in' ? 'incoming' : group.direction === 'out' ? 'outgoing' : 'no direction',
    );
  }
  const cooccurs = page.locator('[data-testid="relation-group"][data-type="CO_OCCURS"]');
  if (expected.some((group) => group.type === 'CO_OCCURS')) await expect(cooccurs).toContainText('named in the same passage');
  // The notes under a neighbour are the relation's sources.
  const [relation] = sql<{ id: number; other: string; type: string }>(
    graph,
    "SELECT id, to_id AS other, type FROM relations WHERE valid_until IS NULL AND from_id = ? AND type <> 'CO_OCCURS' ORDER BY weight DESC, to_id LIMIT 1",
    entity?.id,
  );
  if (relation) {
    const notes = sql<{ path: string }>(
      graph,
      'SELECT d.path FROM relation_sources s JOIN documents d ON d.id = s.doc_id WHERE s.relation_id = ? ORDER BY s.count DESC, d.id LIMIT 5',
      relation.id,
    );
    const row = page
      .locator(`[data-testid="relation-group"][data-type="${relation.type}"][data-direction="out"]`)
      .locator(`[data-testid="relation-neighbour"][data-id="${relation.other}"]`);
    for (const note of notes) await expect(row.getByTestId('relation-notes')).toContainText(note.path);
  }
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\[\[|\]\]/);
  expect(text).not.toMatch(/\b1 (mentions|entities|relations|notes)\b/);
  const [type] = sql<{ type: string }>(graph, 'SELECT type FROM entities WHERE id = ?', entity?.id);
  await expect(page.getByTestId('entity-summary')).toContainText(`type ${type?.type} (`);
  // Every entity type shown next to a neighbour is explained once, under the lists.
  const shownIds = await page
    .getByTestId('relation-neighbour')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
  const shownTypes = sql<{ type: string }>(
    graph,
    `SELECT DISTINCT type FROM entities WHERE id IN (${shownIds.map(() => '?').join(',')}) ORDER BY type`,
    ...shownIds,
  );
  await expect(page.getByTestId('entity-type-legend').locator('dt')).toHaveText(shownTypes.map((row) => row.type));
});

test("a search's page shows each returned chunk's score and why it came back; older searches say the score was not recorded", async ({
  page,
}) => {
  const [search] = sql<{ id: number; chunk_hits: string; top_score: number }>(
    metrics,
    `SELECT id, chunk_hits, top_score FROM query_log WHERE project = ? AND chunk_hits LIKE '%"via":{%' ORDER BY id LIMIT 1`,
    tenant.project,
  );
  const hits = JSON.parse(search?.chunk_hits ?? '[]') as Array<{
    score: number;
    textRank: number | null;
    allTermsRank?: number | null;
    denseRank?: number | null;
    graph: Array<{ name: string; via: { name: string } | null }>;
  }>;
  expect(hits.length).toBeGreaterThan(0);
  await page.goto(`${dashboard.url}/queries/${search?.id}?range=90d`);
  await expect(page.getByTestId('top-score')).toContainText(search!.top_score.toPrecision(3));
  await expect(page.getByTestId('query-terms')).toContainText('Top score: the first result’s score');
  await expect(page.getByTestId('query-terms')).toContainText('Baseline: the whole notes');
  const reasons = page.getByTestId('chunk-reason');
  await expect(reasons).toHaveCount(hits.length);
  for (const [index, hit] of hits.entries()) {
    const reason = reasons.nth(index);
    await expect(reason).toContainText(`score ${hit.score.toPrecision(3)}`);
    if (hit.textRank) await expect(reason).toContainText(`text match (#${hit.textRank}`);
    if (hit.allTermsRank) await expect(reason).toContainText(`every query word (#${hit.allTermsRank})`);
    if (hit.denseRank) await expect(reason).toContainText(`meaning (#${hit.denseRank}`);
    for (const item of hit.graph) {
      await expect(reason).toContainText(
        item.via ? `mentions ${item.name}, one relation from ${item.via.name}` : `mentions ${item.name}`,
      );
    }
  }
  await page.goto(`${dashboard.url}/queries/${oldSearchId}?range=90d`);
  const chunks = JSON.parse(
    sql<{ chunk_ids: string }>(metrics, 'SELECT chunk_ids FROM query_log WHERE id = ?', oldSearchId)[0]?.chunk_ids ?? '[]',
  ) as string[];
  await expect(page.getByTestId('returned-chunks').getByText('score not recorded')).toHaveCount(chunks.length);
});
