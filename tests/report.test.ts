import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCookieHeader, reportIdentityHeaders } from '../bin/report/report-target';
import { parseRange } from '../lib/request/range';
import { buildManifest, pngSize, type RenderedHeader } from '../lib/report/manifest';
import { describeRange } from '../lib/report/describe-range';
import { DEFAULT_REPORT_PAGES, parsePages, REPORT_PAGES, reportPageUrl, reportRange } from '../lib/report/report-pages';
import { paperPoints, parsePaper, printScale } from '../lib/report/paper';
import { chartFooterParts, chartFooterText, wrapFooter } from '../lib/charts/chart-footer';
import { rowsShownText } from '../lib/format';
import { loadConfig } from '../lib/config';
import {
  dashboardReader,
  makeTenant,
  openEngine,
  PYTHON_EVENTS_DDL,
  query,
  runCli,
  tempDir,
  writeFile,
  type Tenant,
} from './helpers';

const NOW = new Date('2026-11-22T12:00:00Z');

describe('report options', () => {
  it('reads the page list, keeps its order, drops repeats and names what it does not know', () => {
    expect(parsePages('graph, Overview,graph')).toEqual(['graph', 'overview']);
    expect(() => parsePages('overview,settings')).toThrow(/overview, ingest, graph, queries, gardener; not known: settings/);
    expect(() => parsePages(' , ')).toThrow(/comma-separated/);
  });

  it('holds every page by default, the Night Gardener included', () => {
    expect(DEFAULT_REPORT_PAGES).toEqual(['overview', 'ingest', 'graph', 'queries', 'gardener']);
    expect([...DEFAULT_REPORT_PAGES].sort()).toEqual(Object.keys(REPORT_PAGES).sort());
  });

  it('prints on A4 or Letter, scaled so that the 1200 px view fits between the side margins', () => {
    expect(parsePaper('a4')).toBe('a4');
    expect(parsePaper(' Letter ')).toBe('letter');
    expect(() => parsePaper('a3')).toThrow(/^--paper takes a4 or letter, not "a3"$/);
    // 210 mm less two 10 mm margins, at 96 px per inch, over 1200 px; Letter is 8.5 in wide.
    expect(printScale('a4')).toBe(Math.floor(((190 / 25.4) * 96 * 1000) / 1200) / 1000);
    expect(printScale('a4')).toBeCloseTo(0.598, 3);
    expect(printScale('letter')).toBeCloseTo(((8.5 * 25.4 - 20) / 25.4) * 0.08, 2);
    // The sheets in PDF points: ISO A4, and 8.5 × 11 in.
    const a4 = paperPoints('a4');
    expect([a4.width, a4.height].map((value) => Math.round(value * 100) / 100)).toEqual([595.28, 841.89]);
    expect(paperPoints('letter')).toEqual({ width: expect.closeTo(612, 6), height: expect.closeTo(792, 6) });
  });

  it('fixes the window once: a preset ends at --to (or now), a custom range stays as given', () => {
    const preset = reportRange({ range: '30d', to: '2026-11-01T00:00Z' }, NOW);
    expect([preset.from.toISOString(), preset.to.toISOString()]).toEqual([
      '2026-10-02T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
    expect(reportRange({ range: '7d' }, NOW).to).toEqual(NOW);
    const custom = reportRange({ from: '2026-10-01', to: '2026-10-15', tz: 'Europe/Berlin' }, NOW);
    expect(custom).toMatchObject({ preset: 'custom', timeZone: 'Europe/Berlin' });
    expect(() => reportRange({ range: '30d', from: '2026-10-01' }, NOW)).toThrow(/either --range or --from/);
    expect(() => reportRange({ range: '2w' }, NOW)).toThrow(/^unknown range "2w"$/);
    expect(() => reportRange({ tz: 'Mars/Base' }, NOW)).toThrow(/^unknown time zone "Mars\/Base"$/);
    expect(() => reportRange({ to: 'tomorrow' }, NOW)).toThrow(/^"to" must be an ISO date \(2026-11-01 or 2026-11-01T08:00Z\)$/);
    expect(() => reportRange({ from: '2026-10-05', to: '2026-10-01' }, NOW)).toThrow(/starts after it ends/);
  });

  it("builds each page's report-view URL under the dashboard's address, path prefix included", () => {
    const range = reportRange({ range: '30d', to: '2026-11-01T00:00Z', tz: 'Asia/Tokyo' }, NOW);
    const url = new URL(reportPageUrl('https://dash.example.com/acme', 'ingest', range, 'kestrel'));
    expect(url.origin + url.pathname).toBe('https://dash.example.com/acme/ingest');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      view: 'report',
      range: '30d',
      to: '2026-11-01T00:00:00.000Z',
      tz: 'Asia/Tokyo',
      project: 'kestrel',
    });
    expect(new URL(reportPageUrl('http://127.0.0.1:8765', 'overview', range, undefined)).pathname).toBe('/');
  });

  it('describes the range the way the report header prints it', () => {
    const range = parseRange({ range: '30d', to: '2026-11-01T06:30Z', tz: 'Europe/Berlin' }, NOW);
    expect(describeRange(range)).toBe('Last 30 days: 2 Oct 2026, 08:30 – 1 Nov 2026, 07:30');
    expect(describeRange(parseRange({ from: '2026-10-01', to: '2026-10-02' }, NOW))).toBe(
      '1 Oct 2026, 00:00 – 2 Oct 2026, 00:00',
    );
  });
});

describe('report command refusals', () => {
  it('refuses a bad option or an output path that is a file with exit 2 and one line, before starting anything', () => {
    const dir = tempDir();
    const file = writeFile(dir, 'taken', 'not a folder');
    const blocked = runCli(['report', '--out', file], { HYDRAMEM_DATA_DIR: dir });
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toBe(`hydramem: cannot write the report into ${file}: a file is in the way, not a folder.\n`);
    const badTo = runCli(['report', '--out', path.join(dir, 'out'), '--to', 'tomorrow'], { HYDRAMEM_DATA_DIR: dir });
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toBe('hydramem: "to" must be an ISO date (2026-11-01 or 2026-11-01T08:00Z)\n');
    const badPages = runCli(['report', '--out', path.join(dir, 'out'), '--pages', 'overview,settings'], {});
    expect(badPages.code).toBe(2);
    expect(badPages.stderr).toMatch(/not known: settings/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses a paper it does not know in one line with exit 2, before making the folder', () => {
    const dir = tempDir();
    const run = runCli(['report', '--out', path.join(dir, 'out'), '--paper', 'a3'], { HYDRAMEM_DATA_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('hydramem: --paper takes a4 or letter, not "a3".\n');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});

describe('what a chart PNG and a shortened table say', () => {
  const facts = {
    tenant: 'acme',
    project: 'kestrel',
    range: 'Last 30 days: 2 Oct 2026, 08:30 – 1 Nov 2026, 07:30',
    timeZone: 'Europe/Berlin',
  };

  it('footers a chart with tenant, project, range, time zone and the time made, in that zone', () => {
    // 12:00 UTC is 13:00 in Berlin in November (CET).
    expect(chartFooterText(facts, NOW)).toBe(
      'tenant acme · project kestrel · Last 30 days: 2 Oct 2026, 08:30 – 1 Nov 2026, 07:30 · Europe/Berlin · made 22 Nov 2026, 13:00',
    );
  });

  it('wraps the footer between its parts, never inside one', () => {
    const parts = chartFooterParts(facts, NOW);
    const measure = (text: string): number => text.length;
    expect(wrapFooter(parts, 1000, measure)).toEqual([chartFooterText(facts, NOW)]);
    const lines = wrapFooter(parts, 60, measure);
    expect(lines).toEqual([
      'tenant acme · project kestrel',
      'Last 30 days: 2 Oct 2026, 08:30 – 1 Nov 2026, 07:30',
      'Europe/Berlin · made 22 Nov 2026, 13:00',
    ]);
    expect(lines.join(' · ')).toBe(chartFooterText(facts, NOW));
    // A part longer than the line still gets printed whole, on its own line.
    expect(wrapFooter(['a', 'much longer than ten', 'b'], 10, measure)).toEqual(['a', 'much longer than ten', 'b']);
  });

  it('says how many rows a table shows of how many, and nothing when it shows them all', () => {
    expect(rowsShownText(50, 364)).toBe('50 of 364 shown');
    expect(rowsShownText(50, 10_000, true)).toBe('50 of 10.0k+ shown');
    expect(rowsShownText(12, 12)).toBeNull();
    expect(rowsShownText(0, 0)).toBeNull();
  });
});

describe('report identity', () => {
  it("defaults to hydramem-report in the tenant's first admin group, and takes both from the environment", () => {
    expect(reportIdentityHeaders({}, 'acme', 's3cret')).toEqual({
      'X-HydraMem-Proxy-Secret': 's3cret',
      'Remote-User': 'hydramem-report',
      'Remote-Groups': 'dash-acme-admin',
      'Remote-Name': 'HydraMem report',
    });
    expect(reportIdentityHeaders({ DASHBOARD_ADMIN_GROUPS: 'ops, leads' }, 'acme', 's')['Remote-Groups']).toBe('ops');
    const support = reportIdentityHeaders(
      { HYDRAMEM_REPORT_USER: ' kim ', HYDRAMEM_REPORT_GROUPS: 'dash-acme-support' },
      'acme',
      's',
    );
    expect([support['Remote-User'], support['Remote-Groups']]).toEqual(['kim', 'dash-acme-support']);
  });

  it('reads a browser Cookie header and refuses anything else', () => {
    expect(parseCookieHeader('a=1; hydramem-acme.session-token=x=y')).toEqual([
      { name: 'a', value: '1' },
      { name: 'hydramem-acme.session-token', value: 'x=y' },
    ]);
    expect(() => parseCookieHeader('just-a-token')).toThrow(/name=value/);
  });
});

describe('report manifest', () => {
  const header = (asOf: string | null, project = 'kestrel'): RenderedHeader => ({
    tenant: 'acme',
    project,
    from: '2026-10-02T00:00:00.000Z',
    to: '2026-11-01T00:00:00.000Z',
    preset: '30d',
    timeZone: 'UTC',
    asOf,
    version: '1.2.3',
  });
  const range = parseRange({ range: '30d', to: '2026-11-01T00:00Z' }, NOW);

  it('takes the newest "data as of" of all pages and refuses pages that disagree on the view', () => {
    const manifest = buildManifest({
      range,
      headers: [header('2026-10-30T10:00:00.000Z'), header(null), header('2026-10-31T09:00:00.000Z')],
      pages: [],
      pdf: null,
      createdAt: NOW,
    });
    expect(manifest).toMatchObject({
      tenant: 'acme',
      project: 'kestrel',
      version: '1.2.3',
      dataAsOf: '2026-10-31T09:00:00.000Z',
    });
    expect(manifest.range).toEqual({
      preset: '30d',
      from: '2026-10-02T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      timeZone: 'UTC',
    });
    expect(() =>
      buildManifest({ range, headers: [header(null), header(null, 'other')], pages: [], pdf: null, createdAt: NOW }),
    ).toThrow(/disagree/);
  });

  it("reads a PNG's size from its header and rejects what is not a PNG", () => {
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.writeUInt32BE(13, 8);
    png.write('IHDR', 12, 'ascii');
    png.writeUInt32BE(2400, 16);
    png.writeUInt32BE(3117, 20);
    expect(pngSize(png)).toEqual({ width: 2400, height: 3117 });
    expect(() => pngSize(Buffer.from('GIF89a................'))).toThrow(/not a PNG/);
  });
});

describe('data as of', () => {
  let tenant: Tenant;
  beforeAll(() => {
    tenant = makeTenant('asof');
    writeFile(tenant.kms, 'a.md', '# Alpha\n\nAlpha talks to [[Beta]].\n');
    let clock = new Date('2026-11-10T08:00:00Z');
    const engine = openEngine(tenant, () => clock);
    engine.ingest(tenant.kms, { source: 'test' });
    clock = new Date('2026-11-12T09:15:00Z');
    engine.search({ query: 'alpha' });
    clock = new Date('2026-11-14T03:00:00Z');
    engine.runGarden({ trigger: 'manual', command: 'test' });
    engine.close();
  });

  const asOf = (to: string): string | null => dashboardReader(tenant, parseRange({ to }, NOW))('dataAsOf');

  it('is the newest event of any kind up to the end of the range, and null before the first', () => {
    const metrics = path.join(tenant.dataDir, 'metrics.db');
    const [newest] = query<{ ts: string }>(
      metrics,
      `SELECT MAX(ts) AS ts FROM (SELECT ts FROM events WHERE project = 'asof' UNION ALL SELECT ts FROM ingest_runs WHERE project = 'asof'
        UNION ALL SELECT COALESCE(finished_at, started_at) FROM garden_runs WHERE project = 'asof')`,
    );
    expect(newest?.ts.startsWith('2026-11-14T03:00')).toBe(true);
    expect(asOf('2026-11-20')).toBe(newest?.ts);
    expect(asOf('2026-11-13')?.startsWith('2026-11-12T09:15')).toBe(true);
    expect(asOf('2026-11-11')?.startsWith('2026-11-10T08:00')).toBe(true);
    expect(asOf('2026-11-01')).toBeNull();
  });

  it('reads only events from a Python HydraMem file', () => {
    const dataDir = tempDir();
    const db = new Database(path.join(dataDir, 'metrics.db'));
    db.exec(PYTHON_EVENTS_DDL);
    db.prepare("INSERT INTO events (ts, project, tool_name) VALUES (?, 'py', 'hydra_search_tool')").run(
      '2026-11-03T10:00:00.000000+00:00',
    );
    db.close();
    const config = loadConfig({ HYDRAMEM_DATA_DIR: dataDir, HYDRAMEM_PROJECT: 'py' });
    const found = dashboardReader({ config, project: 'py' }, parseRange({ to: '2026-11-20' }, NOW))('dataAsOf');
    expect(found).toBe('2026-11-03T10:00:00.000000+00:00');
  });
});
