import { expect, test, type Page } from '@playwright/test';
import { sharedDemoDashboard, sql } from './tenant';

// Getting around the dashboard every day: the range picker and its shortcuts, drag-to-zoom,
// legends, paging both ways, sorting, the project switcher, auto-refresh, the jump list, 404s.
const demo = sharedDemoDashboard({ DASHBOARD_PROJECTS: 'kestrel,other' });

const metrics = (): string => `${demo.tenant.dataDir}/metrics.db`;
/** Opens a page and waits until it is hydrated (its client controls answer). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${demo.dashboard.url}${path}`);
  await page.waitForLoadState('networkidle');
}
const urlParams = (page: Page): Record<string, string> => Object.fromEntries(new URL(page.url()).searchParams);

test('the custom fields follow the URL, the time zone and the pages’ date format', async ({ page }) => {
  await open(page, `/?from=2026-11-20T00:00:00Z&to=2026-11-22T06:30:00Z`);
  await expect(page.getByLabel('From (UTC)')).toHaveValue('20 Nov 2026, 00:00');
  await expect(page.getByLabel('To (UTC)')).toHaveValue('22 Nov 2026, 06:30');
  // Tokyo is UTC+9 all year.
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await expect(page).toHaveURL(/tz=Asia%2FTokyo/);
  await expect(page.getByLabel('From (Asia/Tokyo)')).toHaveValue('20 Nov 2026, 09:00');
  await expect(page.getByLabel('To (Asia/Tokyo)')).toHaveValue('22 Nov 2026, 15:30');
  // What is typed is read in the zone shown.
  await page.getByLabel('From (Asia/Tokyo)').fill('21 Nov 2026, 09:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/from=2026-11-21T00%3A00%3A00.000Z/);
  // After a preset the fields show the preset's range, not the old one.
  await page.getByRole('button', { name: '24h', exact: true }).click();
  await expect(page).toHaveURL(/range=24h/);
  const to = await page.getByLabel('To (Asia/Tokyo)').inputValue();
  const from = await page.getByLabel('From (Asia/Tokyo)').inputValue();
  const now = Date.now();
  const tokyo = (ms: number): string =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', day: 'numeric', month: 'short', year: 'numeric' }).format(ms);
  expect(to.startsWith(tokyo(now))).toBe(true);
  expect(from.startsWith(tokyo(now - 86_400_000))).toBe(true);
  // Nonsense gets a reason, not a silent default.
  await page.getByLabel('From (Asia/Tokyo)').fill('31/11/2026');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Write dates as' })).toBeVisible();
});

test('t ← and t → move the range by half its length, t z zooms out; the buttons do the same', async ({ page }) => {
  await open(page, `/?from=2026-11-20T00:00:00Z&to=2026-11-22T00:00:00Z`);
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('t');
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/from=2026-11-19T00/);
  expect(urlParams(page)).toMatchObject({ from: '2026-11-19T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' });
  await page.keyboard.press('t');
  await page.keyboard.press('z');
  await expect(page).toHaveURL(/from=2026-11-18T00/);
  expect(urlParams(page)).toMatchObject({ from: '2026-11-18T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' });
  await page.keyboard.press('t');
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/from=2026-11-20T00/);
  expect(urlParams(page)).toMatchObject({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' });
  await page.getByRole('button', { name: 'Earlier' }).click();
  await expect(page).toHaveURL(/from=2026-11-18T00/);
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect(page).toHaveURL(/from=2026-11-16T00/);
  expect(urlParams(page)).toMatchObject({ from: '2026-11-16T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' });
  // A `t` typed into a field is text, not a shortcut.
  await page.getByLabel('From (UTC)').press('t');
  await page.getByLabel('From (UTC)').press('ArrowLeft');
  await expect(page).toHaveURL(/from=2026-11-16T00/);
});

test('dragging across a chart zooms into that span; a legend entry hides its series', async ({ page }) => {
  await open(page, `/?range=30d`);
  const chart = page.getByRole('figure', { name: 'Calls per tool over time' });
  const legend = chart.getByRole('button', { name: 'remember' });
  await expect(legend).toHaveAttribute('aria-pressed', 'true');
  const layers = chart.locator('.recharts-bar');
  const before = await layers.count();
  await legend.click();
  await expect(legend).toHaveAttribute('aria-pressed', 'false');
  await expect(layers).toHaveCount(before - 1);
  await legend.click();
  await expect(layers).toHaveCount(before);

  const plot = await chart.locator('.recharts-cartesian-grid').boundingBox();
  if (!plot) throw new Error('no plot area');
  const y = plot.y + plot.height / 2;
  await page.mouse.move(plot.x + plot.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(plot.x + plot.width * 0.45, y, { steps: 8 });
  await page.mouse.move(plot.x + plot.width * 0.6, y, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=/);
  const { from, to } = urlParams(page);
  const span = Date.parse(to ?? '') - Date.parse(from ?? '');
  // About 30 % of 30 daily buckets, whole days.
  expect(span % 86_400_000).toBe(0);
  expect(span / 86_400_000).toBeGreaterThanOrEqual(6);
  expect(span / 86_400_000).toBeLessThanOrEqual(12);
  expect(Date.parse(from ?? '')).toBeGreaterThan(Date.now() - 31 * 86_400_000);
});

test('the query log pages both ways with its position, and sorts by its headers', async ({ page }) => {
  // 90 days: the demo's first notes arrive 30 days ago at 09:12, outside a 30-day window before then.
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().replace('Z', '+00:00');
  const expected = sql<{ id: number; latency_ms: number }>(
    metrics(),
    'SELECT id, latency_ms FROM query_log WHERE project = ? AND ts >= ? ORDER BY ts DESC, id DESC',
    demo.tenant.project,
    since,
  );
  expect(expected.length).toBeGreaterThan(45);
  const shownIds = async (): Promise<number[]> =>
    (
      await page
        .getByTestId('query-log')
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-row-id')))
    ).map(Number);
  await open(page, `/queries?range=30d&size=20`);
  const position = page.getByTestId('query-log-pager-position');
  await expect(position).toHaveText(`1–20 of ${expected.length.toLocaleString('en-GB')}`);
  await expect(page.getByRole('link', { name: '← Previous page' })).toHaveCount(0);
  expect(await shownIds()).toEqual(expected.slice(0, 20).map((row) => row.id));
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(position).toHaveText(`21–40 of ${expected.length.toLocaleString('en-GB')}`);
  expect(await shownIds()).toEqual(expected.slice(20, 40).map((row) => row.id));
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(position).toHaveText(`41–60 of ${expected.length.toLocaleString('en-GB')}`);
  await page.getByRole('link', { name: '← Previous page' }).click();
  await expect(position).toHaveText(`21–40 of ${expected.length.toLocaleString('en-GB')}`);
  expect(await shownIds()).toEqual(expected.slice(20, 40).map((row) => row.id));
  await page.getByRole('link', { name: '← Previous page' }).click();
  await expect(position).toHaveText(`1–20 of ${expected.length.toLocaleString('en-GB')}`);
  expect(await shownIds()).toEqual(expected.slice(0, 20).map((row) => row.id));

  const header = page.getByTestId('query-log').getByRole('columnheader', { name: /Latency/ });
  await header.getByRole('link').click();
  await expect(page).toHaveURL(/sort=latency_desc/);
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const slowest = [...expected].sort((a, b) => b.latency_ms - a.latency_ms || b.id - a.id).slice(0, 20);
  expect(await shownIds()).toEqual(slowest.map((row) => row.id));
  await header.getByRole('link').click();
  await expect(page).toHaveURL(/sort=latency_asc/);
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const fastest = [...expected].sort((a, b) => a.latency_ms - b.latency_ms || a.id - b.id).slice(0, 20);
  expect(await shownIds()).toEqual(fastest.map((row) => row.id));
});

test('ingest runs, the audit trail and users sort by their headers, paging on in the order chosen', async ({ page }) => {
  // 90 days: the demo's first notes arrive 30 days ago at 09:12, outside a 30-day window before then.
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().replace('Z', '+00:00');
  const idsOf = (table: string): Promise<number[]> =>
    page
      .getByTestId(table)
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-row-id'))));
  const oldestFirst = (table: string): number[] =>
    sql<{ id: number }>(
      metrics(),
      `SELECT id FROM ${table} WHERE project = ? AND ts >= ? ORDER BY ts ASC, id ASC`,
      demo.tenant.project,
      since,
    ).map((row) => row.id);

  const runs = oldestFirst('ingest_runs');
  expect(runs.length).toBeGreaterThan(50); // more than a page, so that paging on is seen
  await open(page, '/ingest?range=90d');
  const time = page.getByTestId('ingest-runs').getByRole('columnheader', { name: /Time/ });
  await expect(time).toHaveAttribute('aria-sort', 'descending');
  expect(await idsOf('ingest-runs')).toEqual([...runs].reverse().slice(0, 50));
  await time.getByRole('link').click();
  await expect(page).toHaveURL(/sort=time_asc/);
  await expect(time).toHaveAttribute('aria-sort', 'ascending');
  expect(await idsOf('ingest-runs')).toEqual(runs.slice(0, 50));
  // A status filter keeps the order; the next page goes on in it.
  await page.getByTestId('runs-pager').getByRole('link', { name: 'Next page →' }).click();
  await expect(page.getByTestId('runs-pager-position')).toHaveText(`51–${runs.length} of ${runs.length}`);
  expect(urlParams(page).sort).toBe('time_asc');
  expect(await idsOf('ingest-runs')).toEqual(runs.slice(50, 100));
  await page.getByRole('group', { name: 'Filter by status' }).getByRole('link', { name: 'ok' }).click();
  await expect(page).toHaveURL(/status=ok/);
  expect(urlParams(page).sort).toBe('time_asc');

  const entries = oldestFirst('audit_log');
  expect(entries.length).toBeGreaterThan(1);
  await open(page, '/audit?range=90d');
  const auditTime = page.getByTestId('audit-log').getByRole('columnheader', { name: /Time/ });
  await auditTime.getByRole('link').click();
  await expect(page).toHaveURL(/sort=time_asc/);
  await expect(auditTime).toHaveAttribute('aria-sort', 'ascending');
  expect(await idsOf('audit-log')).toEqual(entries.slice(0, 100));

  const users = sql<{ identifier: string }>(
    `${demo.tenant.dataDir}/graph.db`,
    'SELECT identifier FROM users WHERE project = ? ORDER BY identifier DESC',
    demo.tenant.project,
  ).map((row) => row.identifier);
  expect(users.length).toBeGreaterThan(1);
  await open(page, '/users?range=30d');
  const user = page.getByTestId('users').getByRole('columnheader', { name: /User/ });
  await expect(user).toHaveAttribute('aria-sort', 'ascending');
  await user.getByRole('link').click();
  await expect(page).toHaveURL(/sort=user_desc/);
  await expect(user).toHaveAttribute('aria-sort', 'descending');
  await expect(page.getByTestId('users').locator('tbody tr td:first-child')).toHaveText(users);
});

test('with several projects the header switches between them, a detail page going to its list', async ({ page }) => {
  const [search] = sql<{ id: number }>(metrics(), 'SELECT id FROM query_log ORDER BY id LIMIT 1');
  await open(page, `/queries/${search?.id}?range=30d`);
  const switcher = page.getByLabel('project');
  await expect(switcher).toHaveValue('kestrel');
  await expect(switcher.locator('option')).toHaveText(['kestrel', 'other']);
  await switcher.selectOption('other');
  await expect(page).toHaveURL(/\/queries\?.*project=other/);
  expect(urlParams(page)).toMatchObject({ range: '30d', project: 'other' });
  await expect(page.getByTestId('query-count')).toHaveAttribute('data-value', '0');
});

test('auto-refresh is kept in the URL and in links, and reloads the data on its interval', async ({ page }) => {
  await open(page, `/ingest?range=7d`);
  // Chosen again until the select is hydrated: a choice made before that changes no URL.
  await expect(async () => {
    await page.getByLabel('Refresh').selectOption('off');
    await page.getByLabel('Refresh').selectOption('10s');
    await expect(page).toHaveURL(/refresh=10s/, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const overview = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Overview' });
  await expect(overview).toHaveAttribute('href', /refresh=10s/);
  // The page's data is fetched again (a server-component request for the same page) within the interval.
  const refetch = await page.waitForRequest(
    (request) => new URL(request.url()).pathname === '/ingest' && request.headers().rsc === '1',
    {
      timeout: 15_000,
    },
  );
  expect(refetch.method()).toBe('GET');
  await open(page, `/ingest?refresh=2s`);
  await expect(page.getByText('unknown refresh "2s"')).toBeVisible();
});

test('? lists the shortcuts, / focuses the page’s search, Ctrl-K jumps to a page or a search id', async ({ page }) => {
  const [search] = sql<{ id: number }>(metrics(), 'SELECT id FROM query_log ORDER BY id DESC LIMIT 1');
  await open(page, `/queries?range=30d`);
  await page.locator('main h1').click();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('zoom out');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('/');
  await expect(page.locator('main input[name="q"]')).toBeFocused();
  await page.keyboard.press('Control+k');
  const jump = page.getByRole('dialog', { name: 'Go to' });
  await expect(jump).toBeVisible();
  await page.keyboard.type(`#${search?.id}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/queries/${search?.id}\\?`));
  await expect(page.getByTestId('query-detail')).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('gard');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/gardener\?.*range=30d/);
});

test('unknown pages and ids answer 404 with what is missing', async ({ page, request }) => {
  const cases: Array<[string, string]> = [
    ['/queries/999999999', 'No search with id 999999999 in project kestrel.'],
    ['/queries/not-a-number', 'No search with id not-a-number in project kestrel.'],
    ['/graph/entity/000000000000', 'No entity with id 000000000000 in project kestrel.'],
    ['/users/nobody-here', 'No user nobody-here in project kestrel.'],
    ['/no-such-page', 'There is no page at /no-such-page.'],
  ];
  for (const [path, message] of cases) {
    const response = await request.get(`${demo.dashboard.url}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status(), path).toBe(404);
    await open(page, `${path}`);
    await expect(page.getByTestId('not-found'), path).toContainText(message);
  }
  const [search] = sql<{ id: number }>(metrics(), 'SELECT id FROM query_log ORDER BY id LIMIT 1');
  expect((await request.get(`${demo.dashboard.url}/queries/${search?.id}`)).status()).toBe(200);
});

test('terms are explained where they are shown', async ({ page }) => {
  await open(page, `/queries?range=30d`);
  await expect(page.locator('#search-latency')).toContainText('95 of 100 calls were faster than this');
  await open(page, `/ingest?range=30d`);
  await expect(page.locator('#files-by-status')).toContainText('Skipped: a file whose content had not changed');
  await expect(page.getByTestId('filter-scope')).toHaveCount(0);
  // A filter that applies to one panel says which.
  await open(page, `/ingest?range=30d&user=mara.okafor`);
  await expect(page.getByTestId('filter-scope')).toContainText('the user filter applies to Recent runs');
  await open(page, `/graph?range=30d`);
  await expect(page.locator('#entities-by-type')).toContainText('the graph now, whatever the time range');
  // Every type on the two charts is explained under it, however many there are: each of the graph's
  // types is named in the panel's terms, once.
  const graph = `${demo.tenant.dataDir}/graph.db`;
  for (const [panel, table] of [
    ['#entities-by-type', 'entities'],
    ['#relations-by-type', 'relations'],
  ] as const) {
    const types = sql<{ type: string }>(graph, `SELECT DISTINCT type FROM ${table} WHERE project = 'kestrel'`).map(
      (row) => row.type,
    );
    expect(types.length).toBeGreaterThan(12);
    const terms = (await page.locator(panel).getByTestId('type-terms').locator('dt').allTextContents()).flatMap((label) =>
      label.replace(/:\s*$/, '').split(', '),
    );
    expect(terms.sort()).toEqual([...types].sort());
  }
});

test.describe('at phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the header folds behind Menu; a wide table scrolls in its box and says so', async ({ page }) => {
    await open(page, `/queries?range=30d`);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await expect(nav).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(nav).toBeInViewport();
    await nav.getByRole('link', { name: 'Ingest' }).click();
    await expect(page).toHaveURL(/\/ingest/);
    await expect(nav).toBeHidden();
    await open(page, `/queries?range=30d`);
    const box = page.locator('#query-log').getByRole('region', { name: 'Searches' });
    await expect(box).toBeVisible();
    expect(await box.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // The hint is above the table, where it is seen before a hundred rows.
    const hint = page.locator('#query-log').getByTestId('scroll-hint');
    await expect(hint).toBeVisible();
    expect((await hint.boundingBox())?.y ?? Infinity).toBeLessThan((await box.boundingBox())?.y ?? 0);
    // The table keeps its columns readable and scrolls, rather than squeezing the query to a few letters.
    const queryCell = page.getByTestId('query-log').locator('tbody tr td:nth-child(3)').first();
    expect((await queryCell.boundingBox())?.width ?? 0).toBeGreaterThan(120);
  });
});
