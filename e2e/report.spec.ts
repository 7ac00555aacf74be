import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runCliAsync } from '../tests/helpers';
import { buildDemoTenant, sql, startDashboard } from './tenant';

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

test('hydramem report writes a PNG per page at the report width, a PDF with a page per page, and the manifest', async ({
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
  } finally {
    await dashboard.stop();
  }

  // The PDF: one page per dashboard page, each the report's width (1200 px = 900 pt) and the picture's height.
  const pdfFile = path.join(out, 'report.pdf');
  const pdf = fs.readFileSync(pdfFile).toString('latin1');
  expect(pdf.startsWith('%PDF-')).toBe(true);
  expect(pdf.match(/\/Type\s*\/Page(?![a-zA-Z])/g)).toHaveLength(PAGES.length);
  expect(manifest.pdf).toEqual({ file: 'report.pdf', pages: PAGES.length, sha256: sha256(pdfFile), bytes: pdf.length });
  const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
  expect(boxes).toHaveLength(PAGES.length);
  const pageHeightsPx = manifest.pages.map((entry) => entry.height / SCALE);
  boxes.forEach(([width, height], index) => {
    expect(width).toBeCloseTo(WIDTH * 0.75, 1);
    expect(Math.abs((height ?? 0) / 0.75 - (pageHeightsPx[index] ?? 0))).toBeLessThan(8);
  });
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
