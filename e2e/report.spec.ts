import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { runCliAsync } from '../tests/helpers';
import { pdfPageTexts } from './pdf-text';
import { buildDemoTenant, sql, sqlValue, startDashboard } from './tenant';

// `hydramem report` run as a user runs it, against a tenant the real writer built; expectations come
// from the test's own SQL, from the PNG and PDF bytes, and from the report view in this test's browser.
test.describe.configure({ mode: 'serial' });

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
const PAGES = ['overview', 'ingest', 'graph', 'queries'];
const SCALE = 2;
const WIDTH = 1200;

let tenant: { dataDir: string; project: string };
let env: Record<string, string>;
let work: string;
/** The report's fixed end: the hour after the newest event, so the window holds all of the demo's data. */
let to: string;
let newestEvent: string;
/** Per dashboard page: each table's header row and body rows, as the test's browser reads them. */
const tables = new Map<string, Array<{ head: string; rows: string[] }>>();

interface Manifest {
  version: string;
  tenant: string;
  project: string;
  range: { preset: string; from: string; to: string; timeZone: string };
  dataAsOf: string | null;
  pages: Array<{ page: string; file: string; width: number; height: number; sha256: string; url: string }>;
  pdf: { file: string; pages: number; sha256: string } | null;
}

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const readManifest = (dir: string): Manifest => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;

/** Width and height from the PNG's own IHDR chunk. */
function pngHeader(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Text without its white space: a PDF's text runs and a page's text nodes break lines in different places. */
const squeeze = (text: string): string => text.replace(/\s+/g, '');

/** Records in a CSV file: line ends outside quoted cells. */
function csvRecords(csv: string): number {
  let quoted = false;
  let records = 0;
  for (const char of csv) {
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) records += 1;
  }
  return records;
}

/**
 * The report's sheets grouped by the dashboard page they print, from each sheet's footer line
 * ("<title> · tenant … · page n of m"); checks that every page's sheets are numbered 1 to m in order.
 */
async function sheetsByPage(bytes: Uint8Array): Promise<Map<string, string[]>> {
  const byPage = new Map<string, string[]>();
  for (const text of await pdfPageTexts(bytes)) {
    const footer = text.match(/(?:^|\n)([^\n]+?) · tenant kestrel · project kestrel · [\s\S]*?page\s*(\d+)\s*of\s*(\d+)/);
    expect(footer, `a sheet without its footer:\n${text.slice(0, 400)}`).not.toBeNull();
    const [, title = '', n = '', m = ''] = footer ?? [];
    const list = byPage.get(title) ?? [];
    expect([Number(n), Number(m) >= Number(n)]).toEqual([list.length + 1, true]);
    byPage.set(title, [...list, text]);
  }
  return byPage;
}

test.beforeAll(() => {
  tenant = buildDemoTenant('kestrel');
  env = { HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project };
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-report-'));
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const [row] = sql<{ ts: string }>(
    metrics,
    `SELECT MAX(ts) AS ts FROM (
       SELECT ts FROM events WHERE project = @project UNION ALL SELECT ts FROM ingest_runs WHERE project = @project
       UNION ALL SELECT COALESCE(finished_at, started_at) FROM garden_runs WHERE project = @project
       UNION ALL SELECT ts FROM federation_log WHERE project = @project)`,
    { project: tenant.project },
  );
  newestEvent = row?.ts ?? '';
  const end = new Date(Date.parse(newestEvent.replace(/(\.\d{3})\d*/, '$1')));
  end.setUTCHours(end.getUTCHours() + 1, 0, 0, 0);
  to = end.toISOString();
});

test.afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});

test('hydramem report writes a PNG per page at the report width, a PDF of A4 sheets with tables continued under their headers, and the manifest', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const out = path.join(work, 'first');
  const run = await runCliAsync(['report', '--pages', PAGES.join(','), '--range', '30d', '--to', to, '--out', out, '--pdf'], env);
  expect(run.stderr).not.toMatch(/error|stack/i);
  expect(run.code).toBe(0);

  const manifest = readManifest(out);
  expect(manifest.pages.map((entry) => entry.page)).toEqual(PAGES);
  expect(manifest).toMatchObject({ version: VERSION, tenant: 'kestrel', project: 'kestrel' });
  expect(manifest.range).toEqual({
    preset: '30d',
    from: new Date(Date.parse(to) - 30 * 86_400_000).toISOString(),
    to,
    timeZone: 'UTC',
  });
  expect(manifest.dataAsOf).toBe(new Date(Date.parse(newestEvent.replace(/(\.\d{3})\d*/, '$1'))).toISOString());
  for (const entry of manifest.pages) {
    const file = path.join(out, entry.file);
    expect(entry.file).toBe(`${entry.page}.png`);
    expect(sha256(file)).toBe(entry.sha256);
    const size = pngHeader(file);
    expect(size.width).toBe(WIDTH * SCALE);
    expect(size).toEqual({ width: entry.width, height: entry.height });
    expect(fs.statSync(file).size).toBeGreaterThan(50_000);
  }

  // The overview's picture is exactly as tall as the report view is in a browser of the report width.
  await page.setViewportSize({ width: WIDTH, height: 900 });
  const dashboard = await startDashboard(env);
  try {
    await page.goto(`${dashboard.url}/?view=report&range=30d&to=${encodeURIComponent(to)}`);
    await expect(page.locator('.recharts-wrapper > svg.recharts-surface').first()).toBeVisible();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(manifest.pages[0]?.height).toBe(height * SCALE);
    // The tables of the pages that take more than one sheet, to find their rows on the sheets.
    for (const [name, pagePath] of [
      ['Ingest activity', '/ingest'],
      ['Graph statistics', '/graph'],
      ['Query logs', '/queries'],
    ] as const) {
      await page.goto(`${dashboard.url}${pagePath}?view=report&range=30d&to=${encodeURIComponent(to)}`);
      await expect(page.getByTestId('report-header')).toBeVisible();
      const view = page.locator('[data-view="report"]');
      const found = await view.locator('table').evaluateAll((elements) =>
        elements.map((table) => ({
          head: table.querySelector('thead')?.innerText ?? '',
          rows: [...table.querySelectorAll('tbody tr')].map((row) => row.textContent ?? ''),
        })),
      );
      tables.set(
        name,
        found.map((table) => ({ head: squeeze(table.head), rows: table.rows.map(squeeze) })),
      );
    }
  } finally {
    await dashboard.stop();
  }

  // The PDF: printable A4 sheets (595 × 842 pt), a dashboard page taller than a sheet continued on the next.
  const pdfFile = path.join(out, 'report.pdf');
  const bytes = fs.readFileSync(pdfFile);
  const doc = await PDFDocument.load(bytes);
  expect(manifest.pdf).toEqual({
    file: 'report.pdf',
    pages: doc.getPageCount(),
    paper: 'a4',
    sha256: sha256(pdfFile),
    bytes: bytes.length,
  });
  for (const sheet of doc.getPages()) {
    const { width, height } = sheet.getSize();
    // 210 × 297 mm at 72 pt per inch.
    expect(width).toBeCloseTo((210 / 25.4) * 72, 1);
    expect(height).toBeCloseTo((297 / 25.4) * 72, 1);
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
  }
  const sheets = await sheetsByPage(bytes);
  expect([...sheets.keys()]).toEqual(['Overview', 'Ingest activity', 'Graph statistics', 'Query logs']);
  // The ingest page is several times as tall as an A4 sheet is long (297 mm at 96 px per inch, even unscaled).
  const ingestHeight = (manifest.pages[1]?.height ?? 0) / SCALE;
  expect(ingestHeight).toBeGreaterThan(2 * (297 / 25.4) * 96);
  expect(sheets.get('Ingest activity')?.length).toBeGreaterThan(1);
  expect(doc.getPageCount()).toBe([...sheets.values()].reduce((sum, list) => sum + list.length, 0));
  // Every sheet that holds rows of a table holds its header row too, and some table goes on over two sheets.
  let continued = 0;
  for (const [name, pageTables] of tables) {
    const texts = (sheets.get(name) ?? []).map(squeeze);
    for (const { head, rows } of pageTables) {
      const holding = texts.flatMap((text, index) => (rows.some((row) => text.includes(row)) ? [index] : []));
      for (const index of holding) expect(texts[index], `${name}, sheet ${index + 1}: rows without their header`).toContain(head);
      if (holding.length > 1) continued += 1;
    }
  }
  expect(continued).toBeGreaterThan(0);
});

test('--paper letter prints every page, the Night Gardener included, on US Letter sheets (612 × 792 pt)', async () => {
  test.setTimeout(240_000);
  const out = path.join(work, 'letter');
  const run = await runCliAsync(['report', '--range', '30d', '--to', to, '--out', out, '--paper', 'Letter'], env);
  expect(run.stderr).not.toMatch(/error|stack/i);
  expect(run.code).toBe(0);
  const manifest = readManifest(out);
  expect(manifest.pages.map((entry) => entry.page)).toEqual([...PAGES, 'gardener']);
  const bytes = fs.readFileSync(path.join(out, 'report.pdf'));
  const doc = await PDFDocument.load(bytes);
  expect(manifest.pdf).toMatchObject({ pages: doc.getPageCount(), paper: 'letter' });
  for (const sheet of doc.getPages()) {
    const { width, height } = sheet.getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([612, 792]);
  }
  const sheets = await sheetsByPage(bytes);
  expect([...sheets.keys()]).toEqual([
    'Overview',
    'Ingest activity',
    'Graph statistics',
    'Query logs',
    'Night Gardener and federation',
  ]);
  expect(run.stdout).toContain(`report.pdf  ${doc.getPageCount()} page(s), letter`);
});

test('a table that shows fewer rows than exist says how many of how many, and names the export that has them all', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const graph = path.join(tenant.dataDir, 'graph.db');
  // 90 days: every ingest run of the demo's 30, so that the runs, too, are more than a page.
  const window = [new Date(Date.parse(to) - 90 * 86_400_000).toISOString().slice(0, 19), to.slice(0, 19)];
  const inWindow = (table: string): number =>
    sqlValue(
      metrics,
      `SELECT COUNT(*) FROM ${table} WHERE project = ? AND substr(ts, 1, 19) >= ? AND substr(ts, 1, 19) < ?`,
      tenant.project,
      ...window,
    );
  const searches = inWindow('query_log');
  const runs = inWindow('ingest_runs');
  const entities = sqlValue(graph, 'SELECT COUNT(*) FROM entities WHERE project = ?', tenant.project);
  expect(Math.min(searches, runs)).toBeGreaterThan(50);
  const query = `range=90d&to=${encodeURIComponent(to)}`;
  const expected = [
    {
      path: '/queries',
      testId: 'query-log-shown',
      text: `50 of ${searches} shown`,
      dataset: 'query-log',
      rows: searches,
      pager: 'query-log-pager',
    },
    {
      path: '/ingest',
      testId: 'ingest-runs-shown',
      text: `50 of ${runs} shown`,
      dataset: 'ingest-runs',
      rows: runs,
      pager: 'runs-pager',
    },
    {
      path: '/graph',
      testId: 'top-hubs-shown',
      text: `20 of ${entities} shown`,
      dataset: 'entities',
      rows: entities,
      pager: null,
    },
  ];
  const dashboard = await startDashboard(env);
  try {
    for (const item of expected) {
      const exportPath = `/api/export/${item.dataset}?${query}&format=csv`;
      // On screen a paged table says it in its pager, another under the table with a link to the export;
      // in the report view each says it with the export's address, since paper has no links.
      await page.goto(`${dashboard.url}${item.path}?${query}`);
      const note = page.getByTestId(item.testId);
      if (item.pager) {
        await expect(note).toBeHidden();
        await expect(page.getByTestId(`${item.pager}-position`)).toHaveText(`1–50 of ${item.rows.toLocaleString('en-GB')}`);
      } else {
        await expect(note).toHaveText(`${item.text} — the full list: the ${item.dataset} export (CSV)`, { useInnerText: true });
      }
      await page.goto(`${dashboard.url}${item.path}?view=report&${query}`);
      await expect(note).toHaveText(`${item.text} — the full list: the ${item.dataset} export (CSV) at ${exportPath}`, {
        useInnerText: true,
      });
      // The export it names holds every row: the test counts the CSV's records (quoted newlines are not records).
      const csv = await (await page.request.get(`${dashboard.url}${exportPath}`)).text();
      expect(csvRecords(csv) - 1, item.dataset).toBe(item.rows);
    }
  } finally {
    await dashboard.stop();
  }
  // The printed report says it too (the first test's PDF).
  const sheets = await sheetsByPage(fs.readFileSync(path.join(work, 'first', 'report.pdf')));
  const printed = (name: string): string => squeeze((sheets.get(name) ?? []).join(''));
  expect(printed('Query logs')).toContain(squeeze(`50 of ${searches} shown — the full list: the query-log export (CSV)`));
  // The first report covers 30 days: its runs table says "of" only when they are more than a page.
  const [from30] = [new Date(Date.parse(to) - 30 * 86_400_000).toISOString().slice(0, 19)];
  const runs30 = sqlValue(
    metrics,
    'SELECT COUNT(*) FROM ingest_runs WHERE project = ? AND substr(ts, 1, 19) >= ? AND substr(ts, 1, 19) < ?',
    tenant.project,
    from30,
    to.slice(0, 19),
  );
  if (runs30 > 50) expect(printed('Ingest activity')).toContain(squeeze(`50 of ${runs30} shown`));
  else expect(printed('Ingest activity')).not.toContain(squeeze(`of ${runs30} shown`));
  expect(printed('Graph statistics')).toContain(squeeze(`20 of ${entities} shown`));
});

test("a chart's PNG is headed by the title on screen and footed by tenant, project, range, time zone and time made", async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Every text the page draws on a canvas, recorded as it is drawn: what the PNG says, without OCR.
  await page.addInitScript(() => {
    const drawn: string[] = [];
    Object.assign(window, { drawnTexts: drawn });
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      drawn.push(text);
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    };
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  const dashboard = await startDashboard(env);
  try {
    await page.goto(`${dashboard.url}/ingest?range=30d&to=${encodeURIComponent(to)}&tz=Europe/Berlin`);
    // On screen the panel says "Graph changes"; the chart inside is labelled for screen readers at length.
    const panel = page.locator('section#graph-changes');
    await expect(panel.locator('h2')).toHaveText('Graph changes');
    const figure = panel.getByRole('figure', { name: 'Chunks, entities and relations added and removed' });
    const surface = figure.locator('.recharts-wrapper > svg.recharts-surface');
    // Charts draw once the browser can measure them: on a busy machine that takes a while.
    await expect(surface).toBeVisible({ timeout: 30_000 });
    const before = Date.now();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name: /as PNG$/ }).click(),
    ]);
    const after = Date.now();
    expect(download.suggestedFilename()).toBe('graph-changes.png');
    const drawn = await page.evaluate(() => (window as unknown as { drawnTexts: string[] }).drawnTexts);
    expect(drawn.slice(0, 2)).toEqual(['Graph changes', 'added above the line, removed below']);

    // The footer, built here from the URL's window and zone: lines of whole parts, joined by " · ".
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    const from = new Date(Date.parse(to) - 30 * 86_400_000);
    const head = `tenant kestrel · project kestrel · Last 30 days: ${berlin.format(from)} – ${berlin.format(new Date(to))} · Europe/Berlin · made `;
    const footerStart = drawn.findIndex((text) => text.startsWith('tenant kestrel'));
    expect(footerStart).toBeGreaterThan(1);
    const footer = drawn.slice(footerStart);
    expect([berlin.format(before), berlin.format(after)].map((made) => `${head}${made}`)).toContain(footer.join(' · '));

    // The image holds it all: twice the chart, plus the title and note (44 px), the legend (28 px), and the footer.
    const png = fs.readFileSync(await download.path());
    const box = await surface.boundingBox();
    expect(png.readUInt32BE(16)).toBe(Math.round((box?.width ?? 0) * 2));
    expect(png.readUInt32BE(20)).toBe(Math.round(((box?.height ?? 0) + 44 + 28 + 8 + 15 * footer.length) * 2));
    fs.mkdirSync('test-results/screenshots', { recursive: true });
    fs.copyFileSync(await download.path(), 'test-results/screenshots/chart-download-footer.png');
  } finally {
    await dashboard.stop();
  }
});

test('two reports of the same data and window are pixel-identical', async () => {
  test.setTimeout(180_000);
  const first = readManifest(path.join(work, 'first'));
  const out = path.join(work, 'second');
  const run = await runCliAsync(['report', '--pages', PAGES.join(','), '--range', '30d', '--to', to, '--out', out], env);
  expect(run.code).toBe(0);
  const second = readManifest(out);
  expect(second.pdf).toBeNull();
  for (const name of PAGES) {
    const a = fs.readFileSync(path.join(work, 'first', `${name}.png`));
    const b = fs.readFileSync(path.join(out, `${name}.png`));
    expect(b.equals(a), `${name}.png differs between two runs`).toBe(true);
  }
  expect(second.pages.map((entry) => entry.sha256)).toEqual(first.pages.map((entry) => entry.sha256));
});

test('the report view has no navigation or controls, is light for a dark-theme user, 1200 px wide, with the report header', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dashboard = await startDashboard(env);
  try {
    await page.emulateMedia({ colorScheme: 'dark' });
    const normal = `${dashboard.url}/queries?range=30d&to=${encodeURIComponent(to)}`;
    await page.goto(normal);
    await page.evaluate(() => localStorage.setItem('hydramem-theme', 'dark'));
    await page.reload();
    // The ordinary page, as a control: navigation, controls and the dark theme are there.
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expect(page.getByRole('navigation', { name: 'Pages' })).toBeVisible();
    await expect(page.getByTestId('export-query-log')).toBeVisible();
    await expect(page.getByTestId('no-auth-banner')).toBeVisible();

    await page.goto(`${normal}&view=report`);
    const view = page.locator('[data-view="report"]');
    await expect(view).toBeVisible();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
    expect(await view.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(255, 255, 255)');
    expect(await view.evaluate((element) => element.getBoundingClientRect().width)).toBe(WIDTH);
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await expect(page.getByTestId('range-picker')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /theme/i })).toHaveCount(0);
    await expect(page.getByTestId('no-auth-banner')).toHaveCount(0);
    await expect(page.getByTestId('export-query-log')).toBeHidden();
    await expect(page.getByTestId('query-filters')).toBeHidden();
    await expect(page.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
    await expect(page.getByRole('button', { name: /^Download/ }).first()).toBeHidden();
    const header = page.getByTestId('report-header');
    await expect(header).toContainText('Query logs');
    await expect(header).toContainText('kestrel');
    await expect(header).toContainText('Last 30 days');
    await expect(header).toContainText('UTC');
    await expect(header).toContainText(`HydraMem ${VERSION}`);
    // "Data as of" is the newest event, printed to the second in the report's time zone.
    await expect(header).toContainText(newestEvent.slice(11, 19));
    const animated = await page.evaluate(
      () =>
        [...document.querySelectorAll('[data-view="report"] *')].filter((element) => {
          const style = getComputedStyle(element);
          return style.animationName !== 'none' || parseFloat(style.transitionDuration) > 0;
        }).length,
    );
    expect(animated).toBe(0);
    await page.screenshot({ path: 'test-results/screenshots/report-view-queries.png', fullPage: true });

    // Every page has its report view, detail pages included.
    const metrics = path.join(tenant.dataDir, 'metrics.db');
    const graph = path.join(tenant.dataDir, 'graph.db');
    const [search] = sql<{ id: number }>(metrics, 'SELECT id FROM query_log WHERE project = ? LIMIT 1', tenant.project);
    const [entity] = sql<{ id: string }>(graph, 'SELECT id FROM entities WHERE project = ? LIMIT 1', tenant.project);
    for (const pagePath of ['/', '/ingest', '/graph', '/gardener', `/queries/${search?.id}`, `/graph/entity/${entity?.id}`]) {
      await page.goto(`${dashboard.url}${pagePath}?view=report&range=30d&to=${encodeURIComponent(to)}`);
      await expect(page.getByTestId('report-header'), pagePath).toContainText(`HydraMem ${VERSION}`);
      await expect(page.getByRole('navigation'), pagePath).toHaveCount(0);
      await expect(page.locator('html'), pagePath).not.toHaveClass(/dark/);
    }

    // A dashboard without sign-in needs nothing from the command but its address.
    const out = path.join(work, 'none-mode');
    const run = await runCliAsync(['report', '--pages', 'gardener', '--to', to, '--out', out, '--url', dashboard.url], env);
    expect(run.code).toBe(0);
    expect(readManifest(out).pages.map((entry) => entry.file)).toEqual(['gardener.png']);
  } finally {
    await dashboard.stop();
  }
});

test('--url: a proxy-mode dashboard gets the secret and the report identity; refusals and an absent dashboard say what to do', async () => {
  test.setTimeout(180_000);
  const secret = 'report-e2e-proxy-secret-0123456789abcdef';
  const dashboard = await startDashboard({ ...env, DASHBOARD_AUTH_MODE: 'proxy', DASHBOARD_PROXY_SECRET: secret });
  const args = (out: string) => [
    'report',
    '--pages',
    'overview',
    '--range',
    '7d',
    '--to',
    to,
    '--out',
    path.join(work, out),
    '--url',
    dashboard.url,
  ];
  try {
    const ok = await runCliAsync(args('proxy'), {
      ...env,
      DASHBOARD_PROXY_SECRET: secret,
      HYDRAMEM_REPORT_USER: 'kim',
      HYDRAMEM_REPORT_GROUPS: 'dash-kestrel-support',
    });
    expect(ok.code).toBe(0);
    expect(readManifest(path.join(work, 'proxy')).range.preset).toBe('7d');
    const seen = dashboard.accessLog().filter((line) => line.path === '/' && line.status === 200);
    expect(seen.map((line) => [line.user, line.role])).toContainEqual(['kim', 'support']);

    const wrongSecret = await runCliAsync(args('wrong'), {
      ...env,
      DASHBOARD_PROXY_SECRET: 'not-the-secret-0123456789abcdef0123',
    });
    expect(wrongSecret.code).toBe(6);
    expect(wrongSecret.stderr).toMatch(/asked for a sign-in \(401/);
    expect(wrongSecret.stderr).toMatch(/DASHBOARD_PROXY_SECRET/);
    expect(fs.existsSync(path.join(work, 'wrong', 'overview.png'))).toBe(false);

    const noRole = await runCliAsync(args('norole'), { ...env, DASHBOARD_PROXY_SECRET: secret, HYDRAMEM_REPORT_GROUPS: 'staff' });
    expect(noRole.code).toBe(6);
    expect(noRole.stderr).toMatch(/no role: set HYDRAMEM_REPORT_GROUPS/);
  } finally {
    await dashboard.stop();
  }
  const gone = await runCliAsync(args('gone'), env);
  expect(gone.code).toBe(6);
  expect(gone.stderr).toMatch(/^hydramem: cannot reach the dashboard at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\)/);
});

test('without Chromium the command exits 5 and says how to install it, before starting anything', async () => {
  const out = path.join(work, 'no-chromium');
  const run = await runCliAsync(['report', '--out', out], { ...env, HYDRAMEM_CHROMIUM: '/nonexistent/chromium' });
  expect(run.code).toBe(5);
  expect(run.stderr.trim()).toBe(
    "hydramem: Chromium is not installed at /nonexistent/chromium: install Debian's package (sudo apt-get install -y chromium) " +
      'or set HYDRAMEM_CHROMIUM to the path of a Chromium binary.',
  );
  expect(fs.readdirSync(out)).toEqual([]);
});

test('a dashboard that cannot read the stores gives no report: exit 4 with its explanation, and no images', async () => {
  test.setTimeout(120_000);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-empty-'));
  const out = path.join(work, 'empty');
  try {
    const run = await runCliAsync(['report', '--pages', 'overview', '--out', out], {
      HYDRAMEM_DATA_DIR: empty,
      HYDRAMEM_PROJECT: 'kestrel',
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      `hydramem: the overview page cannot show the data: The metrics store ${path.join(empty, 'metrics.db')} does not exist.`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
