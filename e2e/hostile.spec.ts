import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ROOT, snapshotDir, sql, startDashboard, type RunningDashboard } from './tenant';

const RLO = '\u202E';
/** Each payload sets a different value, so a failure says which one ran. */
const NOTES: Record<string, string> = {
  'xss.md': `---
title: "<script>window.__pwned = 1</script>Launch plan"
tags: [launch]
---
# <img src=x onerror="window.__pwned = 2"> Timeline

Owned by [[<svg onload="window.__pwned = 3">]] and [[Maria "Lopez" & Sons]].
A [link](javascript:window.__pwned=4) and <iframe src="javascript:window.__pwned=5"></iframe>.
Contact Maria Lopez at Kestrel Station about the <b onmouseover="window.__pwned=6">launch</b>.
`,
  [`rtl${RLO}gnp.md`]: `# Quarterly review\n\nSee [[Kestrel${RLO}Station]] and [[${'x'.repeat(1000)}]].\n`,
  [`broken${RLO}dm.md`]: '---\ntitle: [unclosed\n---\nbody\n',
  'ctl\u001b]0;owned\u0007.md': '# Bell note\n\nA note whose file name would retitle a terminal.\n',
};
const SEARCHES = ['<script>window.__pwned = 7</script>', `rtl${RLO}gnp`, '"><img src=x onerror=window.__pwned=8>'];

let dataDir: string;
let dashboard: RunningDashboard;

function cli(args: string[], env: Record<string, string>): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hydramem.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1', ...env },
  });
  // A note refused for its content makes `ingest` exit 1; anything else is a failure of the test's setup.
  if (result.status !== 0 && result.status !== 1) throw new Error(`hydramem ${args[0]} failed: ${result.stderr}`);
}

test.beforeAll(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-hostile-'));
  dataDir = path.join(root, 'data');
  const kms = path.join(root, 'kms');
  fs.mkdirSync(kms);
  for (const [name, text] of Object.entries(NOTES)) fs.writeFileSync(path.join(kms, name), text);
  const env = { HYDRAMEM_DATA_DIR: dataDir, KNOWLEDGE_DIR: kms, HYDRAMEM_PROJECT: 'kestrel', HYDRAMEM_WATCH: '0' };
  cli(['ingest', kms], env);
  for (const query of SEARCHES) cli(['search', query], env);
});

test.afterAll(async () => {
  await dashboard?.stop();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

/** Opens a page and reports anything hostile text made the browser do. */
async function visitSafely(page: Page, route: string, status = 200): Promise<void> {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`${dashboard.url}${route}`);
  expect(response?.status(), route).toBe(status);
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned), route).toBeUndefined();
  expect(dialogs, route).toEqual([]);
  const injected = await page.evaluate(
    () =>
      document.querySelectorAll('main img[src="x"], main svg[onload], main iframe, main [onmouseover], main [onerror]').length,
  );
  expect(injected, route).toBe(0);
  const text = await page.locator('main').innerText();
  expect(text, `${route}: a raw U+202E reorders the text around it`).not.toContain(RLO);
  expect(text, route).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
}

test('hostile notes and searches render as inert text on every page, with bidi controls shown as codes', async ({ page }) => {
  // Two dozen pages, each until the network is idle: over a minute on a busy 2-core machine.
  test.setTimeout(180_000);
  const graph = path.join(dataDir, 'graph.db');
  const metrics = path.join(dataDir, 'metrics.db');
  const before = snapshotDir(dataDir);
  dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: 'kestrel' });
  const entities = sql<{ id: string; name: string }>(graph, "SELECT id, name FROM entities WHERE project = 'kestrel'");
  const searches = sql<{ id: number }>(metrics, "SELECT id FROM query_log WHERE project = 'kestrel' ORDER BY id");
  expect(searches).toHaveLength(SEARCHES.length);
  // No entity name is longer than 300 characters: the 1,000-character wikilink made none.
  expect(Math.max(...entities.map((entity) => entity.name.length))).toBeLessThanOrEqual(300);
  expect(entities.map((entity) => entity.name)).toContain('<svg onload="window.__pwned = 3">');

  const routes = [
    '/',
    '/ingest',
    '/ingest?status=failed',
    '/graph',
    `/graph?q=${encodeURIComponent('<svg')}`,
    ...entities.map((entity) => `/graph/entity/${entity.id}`),
    '/queries',
    `/queries?q=${encodeURIComponent('<script>')}`,
    ...searches.map((search) => `/queries/${search.id}`),
    '/gardener',
    '/users',
    '/keys',
    '/audit',
    '/?report=1',
  ];
  for (const route of routes) await visitSafely(page, route);
  // An unknown user whose name is markup: a 404 that quotes it as inert text, its U+202E shown as a code.
  const hostileUser = `/users/${encodeURIComponent(`<img src=x onerror=window.__pwned=9>${RLO}`)}`;
  await visitSafely(page, hostileUser, 404);
  await expect(page.getByTestId('not-found')).toContainText(
    'No user <img src=x onerror=window.__pwned=9>[U+202E] in project kestrel.',
  );

  // The markup is there to read, as text.
  await page.goto(`${dashboard.url}/queries`);
  await expect(page.locator('main')).toContainText('<script>window.__pwned = 7</script>');
  await expect(page.locator('main')).toContainText('rtl[U+202E]gnp');
  await page.goto(`${dashboard.url}/ingest?status=failed`);
  await expect(page.locator('main')).toContainText('broken[U+202E]dm.md');
  const entity = entities.find((item) => item.name.startsWith('<svg'));
  await page.goto(`${dashboard.url}/graph/entity/${entity?.id ?? ''}`);
  await expect(page.locator('h1')).toHaveText('<svg onload="window.__pwned = 3">');

  expect(dashboard.errorOutput()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(snapshotDir(dataDir)).toEqual(before);
});
