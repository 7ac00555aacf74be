import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphDbPath, metricsDbPath } from '../lib/config';
import { windowDays } from '../lib/read/window';
import { parseQueryLogFilters } from '../lib/request/query-log-filters';
import { parseRange } from '../lib/request/range';
import { QUERY_LOG_DAY } from '../lib/store/metrics-schema';
import { openStoreForWriting } from '../lib/store/open-writer';
import { isoTimestamp } from '../lib/store/time';
import { dashboardReader, makeTenant, query, type Tenant } from './helpers';

// The latency sort reads a day at a time and merges (lib/read/query-log.ts). 700 searches over 45
// days, latencies 0–19 ms so that many tie, a second project beside them; the expected orders come
// from one plain SQL sort over the same file.
let tenant: Tenant;
const NOW = new Date('2026-11-21T00:00:00Z');
const range = parseRange({ from: '2026-10-20T06:30Z', to: '2026-11-19T18:00Z' }, NOW);
const read = () => dashboardReader(tenant, range);
const TS_FROM = isoTimestamp(range.from);
const TS_TO = isoTimestamp(range.to);

beforeAll(() => {
  tenant = makeTenant('lat');
  fs.mkdirSync(tenant.dataDir, { recursive: true });
  openStoreForWriting('graph', graphDbPath(tenant.config)).close();
  const db = openStoreForWriting('metrics', metricsDbPath(tenant.config));
  const insert = db.prepare("INSERT INTO query_log (ts, project, tool, query, latency_ms, status) VALUES (?, ?, ?, ?, ?, 'ok')");
  let seed = 11;
  const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  db.transaction(() => {
    for (let i = 0; i < 700; i++) {
      // Every tenth exactly on a midnight or on one of the window's ends.
      const edges = [range.from.getTime(), range.to.getTime(), Date.UTC(2026, 10, 1 + (i % 20))];
      const at = i % 10 === 0 ? (edges[i % 3] ?? 0) : NOW.getTime() - Math.floor(random() * 45 * 86_400_000);
      const project = i % 7 === 0 ? 'other' : 'lat';
      insert.run(
        isoTimestamp(new Date(at)),
        project,
        i % 3 ? 'hydra_search_tool' : 'hydra_recall',
        `q${i}`,
        Math.floor(random() * 20),
      );
    }
  })();
  db.close();
});

afterAll(() => undefined);

function expectedIds(direction: 'DESC' | 'ASC', extra = ''): number[] {
  return query<{ id: number }>(
    metricsDbPath(tenant.config),
    `SELECT id FROM query_log WHERE project = 'lat' AND ts >= ? AND ts < ? ${extra} ORDER BY latency_ms ${direction}, id ${direction}`,
    TS_FROM,
    TS_TO,
  ).map((row) => row.id);
}

/** Every page of the log in the order of `params`, following each page's cursor. */
interface Page {
  ids: number[];
  previous: string | null;
  next: string | null;
}

function pageAt(params: Record<string, string>, cursor: string | null): Page {
  const page = read()('queryLog', parseQueryLogFilters({ ...params, ...(cursor ? { cursor } : {}) }));
  return { ids: page.rows.map((row) => row.id), previous: page.previous?.cursor ?? null, next: page.nextCursor };
}

function allPages(params: Record<string, string>): Page[] {
  const pages = [pageAt(params, null)];
  for (let last = pages[0]; last?.next && pages.length < 200; last = pages[pages.length - 1])
    pages.push(pageAt(params, last.next));
  return pages;
}

describe('the query log sorted by latency', () => {
  it('pages through the window slowest first and fastest first exactly as one SQL sort', () => {
    for (const [sort, direction] of [
      ['latency_desc', 'DESC'],
      ['latency_asc', 'ASC'],
    ] as const) {
      const expected = expectedIds(direction);
      expect(expected.length).toBeGreaterThan(300);
      const pages = allPages({ sort, size: '13' });
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
      // The way back from the third page is the second page.
      const back = pages[2]?.previous ?? '';
      expect(pageAt({ sort, size: '13' }, back).ids).toEqual(pages[1]?.ids);
    }
  });

  it('keeps the other filters and the latency bounds while it merges the days', () => {
    const expected = expectedIds('DESC', "AND tool = 'hydra_recall' AND latency_ms >= 5 AND latency_ms <= 15");
    expect(expected.length).toBeGreaterThan(50);
    const pages = allPages({ sort: 'latency_desc', size: '9', tool: 'hydra_recall', min_ms: '5', max_ms: '15' });
    expect(pages.flatMap((page) => page.ids)).toEqual(expected);
  });

  it("reads each day from the writer's (project, day, latency) index", () => {
    const db = new Database(metricsDbPath(tenant.config), { readonly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM query_log WHERE ${QUERY_LOG_DAY} = '2026-11-01' AND project = 'lat'
         ORDER BY latency_ms DESC, id DESC LIMIT 10`,
      )
      .all() as Array<{ detail: string }>;
    db.close();
    // One search of that index, in its order: no sort of its own.
    expect(plan.map((row) => row.detail)).toEqual([
      'SEARCH query_log USING COVERING INDEX query_log_project_day_latency (project=? AND <expr>=?)',
    ]);
  });

  it('lists every UTC day a window touches', () => {
    expect(windowDays({ from: new Date('2026-10-30T23:59:00Z'), to: new Date('2026-11-02T00:00:00Z') })).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
    expect(windowDays({ from: new Date('2026-11-01T05:00:00Z'), to: new Date('2026-11-01T06:00:00Z') })).toEqual(['2026-11-01']);
    expect(windowDays(range)).toHaveLength(31);
  });
});
