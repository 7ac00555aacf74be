import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP, QUERY_SORTS, type QueryLogFilters, type QuerySort } from '../lib/read/query-log';
import { FEW_MATCHES, textPlan } from '../lib/read/query-text';
import { parseQueryLogFilters } from '../lib/request/query-log-filters';
import { parseRange } from '../lib/request/range';
import { METRICS_MIGRATIONS } from '../lib/store/metrics-schema';
import { openStoreForWriting } from '../lib/store/open-writer';
import { dashboardReader, makeTenant, openEngine, query, tempDir, writeFile, type Tenant } from './helpers';

// The query log's text filter, read through the trigram index, must find exactly what the test's
// own substring test finds over every row: in each sort, with other filters, counted to the cap.
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ from: '2026-10-01T00:00Z', to: '2026-11-21T00:00Z' }, NOW);
const PROJECT = 'txt';
/** Common enough to be past FEW_MATCHES (the `many` plan), rare, and odd texts. */
const PHRASES = ['telemetry bus', 'who owns the archive', 'Kerguelen pass 42', '50% done_ok', 'path\\to "quoted"', 'Écluse Über'];
const BULK = 16_000;

let tenant: Tenant;
let metricsFile: string;

interface Row {
  id: number;
  ts: string;
  tool: string;
  query: string;
  latency_ms: number;
  status: string;
}

/** SQLite's LIKE without wildcards: a substring, case folded for ASCII letters only. */
function contains(value: string, text: string): boolean {
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return fold(value).includes(fold(text));
}

function expected(text: string, sort: QuerySort, extra: (row: Row) => boolean = () => true): Row[] {
  const from = range.from.toISOString().replace('Z', '');
  const rows = query<Row>(
    metricsFile,
    'SELECT id, ts, tool, query, latency_ms, status FROM query_log WHERE project = ? AND ts >= ? AND ts < ?',
    PROJECT,
    from,
    range.to.toISOString().replace('Z', ''),
  ).filter((row) => contains(row.query, text) && extra(row));
  const key = (row: Row) => (sort.startsWith('time') ? row.ts : row.latency_ms);
  const sign = sort.endsWith('desc') ? -1 : 1;
  return rows.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : sign * (a.id - b.id)));
}

function filters(text: string, sort: QuerySort, more: Record<string, string> = {}): QueryLogFilters {
  return parseQueryLogFilters({ q: text, sort, size: '40', ...more });
}

beforeAll(() => {
  tenant = makeTenant(PROJECT);
  metricsFile = path.join(tenant.dataDir, 'metrics.db');
  writeFile(tenant.kms, 'bus.md', '# Telemetry Bus\n\nThe telemetry bus carries frames from the ground stations.\n');
  let clock = new Date('2026-11-01T08:00:00Z');
  const engine = openEngine(tenant, () => clock);
  engine.ingest(tenant.kms, { source: 'test' });
  // Searches through the real engine: its rows reach the index through the writer's own insert.
  PHRASES.forEach((phrase, index) => {
    clock = new Date(Date.UTC(2026, 10, 2 + index, 9, index));
    engine.search({ query: `${phrase} ${index}`, sessionId: 's' });
  });
  engine.close();
  // And many more written in SQL, with ids out of time order as a replay leaves them.
  const db = openStoreForWriting('metrics', metricsFile);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
     INSERT INTO query_log (ts, project, tool, query, latency_ms, status)
     SELECT strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', '2026-11-19T00:00:00', '-' || ((i * 7919) % 4000000) || ' seconds'),
       CASE WHEN i % 50 = 0 THEN 'other' ELSE @project END,
       CASE WHEN i % 3 = 0 THEN 'hydra_search_tool' ELSE 'graph_only_search_tool' END,
       CASE WHEN i % 3 = 0 THEN 'Telemetry BUS partitions ' || i
            WHEN i % 997 = 0 THEN 'who owns the archive now'
            WHEN i % 1499 = 0 THEN '50% done_ok, then écluse über'
            ELSE 'ground segment rota ' || (i % 40) END,
       (i * 31) % 977, CASE WHEN i % 11 = 0 THEN 'error' ELSE 'ok' END FROM n`,
  ).run({ rows: BULK, project: PROJECT });
  db.close();
});

afterAll(() => undefined);

describe('query log text filter through the trigram index', () => {
  it('uses each plan: many matches, few, and a text too short for the index', () => {
    const db = new Database(metricsFile, { readonly: true });
    try {
      expect(textPlan(db, 'telemetry bus').kind).toBe('many');
      expect(textPlan(db, 'who owns the archive').kind).toBe('few');
      expect(textPlan(db, 'bu').kind).toBe('scan');
      expect(textPlan(db, '%_').kind).toBe('scan');
      expect(
        query<{ n: number }>(metricsFile, "SELECT COUNT(*) AS n FROM query_log WHERE query LIKE '%telemetry bus%'")[0]?.n,
      ).toBeGreaterThan(FEW_MATCHES);
    } finally {
      db.close();
    }
  });

  const texts = [
    'telemetry bus',
    'TELEMETRY',
    'who owns the archive',
    'bu',
    '50%',
    'done_ok',
    '"quoted"',
    'path\\to',
    'écluse',
    'Écluse',
    'nothing like this',
  ];
  for (const text of texts) {
    it(`"${text}": every sort's first page and the count equal the test's own substring test`, () => {
      for (const sort of QUERY_SORTS) {
        const page = dashboardReader(tenant, range)('queryLog', filters(text, sort));
        const want = expected(text, sort);
        expect(page.rows.map((row) => row.id)).toEqual(want.slice(0, 40).map((row) => row.id));
        expect(page.count).toBe(Math.min(want.length, COUNT_CAP));
        expect(page.countCapped).toBe(want.length > COUNT_CAP);
      }
    });
  }

  it('pages on through a common text in time order, and other filters narrow it', () => {
    const read = dashboardReader(tenant, range);
    const want = expected('bus part', 'time_desc', (row) => row.status === 'ok' && row.tool === 'hydra_search_tool');
    expect(want.length).toBeGreaterThan(80);
    const first = read('queryLog', filters('bus part', 'time_desc', { status: 'ok', tool: 'hydra_search_tool' }));
    expect(first.count).toBe(want.length);
    const second = read('queryLog', {
      ...filters('bus part', 'time_desc', { status: 'ok', tool: 'hydra_search_tool' }),
      cursor: (([key, id]) => ({ key: key ?? '', id: Number(id) }))((first.nextCursor ?? '|').split('|')),
    });
    expect([...first.rows, ...second.rows].map((row) => row.id)).toEqual(want.slice(0, 80).map((row) => row.id));
  });

  it('keeps the index equal to the rows: deleted and changed rows leave it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'metrics.db');
    const db = openStoreForWriting('metrics', file);
    const insert = db.prepare(
      "INSERT INTO query_log (ts, project, tool, query, latency_ms, status) VALUES (?, 'p', 't', ?, 1, 'ok')",
    );
    const a = Number(insert.run('2026-11-01T00:00:00.000000+00:00', 'alpha bravo').lastInsertRowid);
    const b = Number(insert.run('2026-11-01T00:00:01.000000+00:00', 'charlie delta').lastInsertRowid);
    db.prepare('DELETE FROM query_log WHERE id = ?').run(a);
    db.prepare("UPDATE query_log SET query = 'echo foxtrot' WHERE id = ?").run(b);
    const hits = (text: string) =>
      db
        .prepare<[string], { rowid: number }>('SELECT rowid FROM query_log_text WHERE query LIKE ?')
        .all(`%${text}%`)
        .map((row) => row.rowid);
    expect(hits('alpha')).toEqual([]);
    expect(hits('charlie')).toEqual([]);
    expect(hits('foxtrot')).toEqual([b]);
    // FTS5's own check that the index holds exactly the content's trigrams.
    expect(() => db.exec("INSERT INTO query_log_text(query_log_text, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    db.close();
  });

  it('indexes the searches a store held before the index existed', () => {
    const dir = tempDir();
    const file = path.join(dir, 'metrics.db');
    const old = new Database(file);
    METRICS_MIGRATIONS.slice(0, 5).forEach((step) => old.exec(step));
    old.pragma('user_version = 5');
    old
      .prepare(
        "INSERT INTO query_log (ts, project, tool, query, latency_ms, status) VALUES ('2026-11-01T00:00:00.000000+00:00', 'p', 't', 'an older search', 1, 'ok')",
      )
      .run();
    old.close();
    const db = openStoreForWriting('metrics', file);
    expect(db.prepare("SELECT rowid FROM query_log_text WHERE query LIKE '%older sea%'").all()).toEqual([{ rowid: 1 }]);
    db.close();
  });

  it('merges the index 16 segments at a time, in stores new and upgraded, and finds every row across many small commits', () => {
    const dir = tempDir();
    const file = path.join(dir, 'metrics.db');
    const old = new Database(file);
    METRICS_MIGRATIONS.slice(0, 6).forEach((step) => old.exec(step));
    old.pragma('user_version = 6');
    old.close();
    const db = openStoreForWriting('metrics', file);
    const settings = Object.fromEntries(
      db
        .prepare<[], { k: string; v: number }>("SELECT k, v FROM query_log_text_config WHERE k IN ('automerge', 'crisismerge')")
        .all()
        .map((row) => [row.k, row.v]),
    );
    expect(settings).toEqual({ automerge: 16, crisismerge: 64 });
    // A writer's pattern: a few searches per commit, each commit a new segment for FTS5 to merge.
    const insert = db.prepare(
      "INSERT INTO query_log (ts, project, tool, query, latency_ms, status) VALUES ('2026-11-01T00:00:00.000000+00:00', 'p', 't', ?, 1, 'ok')",
    );
    const texts: string[] = [];
    for (let commit = 0; commit < 400; commit++) {
      db.transaction(() => {
        for (let row = 0; row < 4; row++) {
          const text = `${PHRASES[(commit + row) % PHRASES.length]} #${commit}-${row}`;
          texts.push(text);
          insert.run(text);
        }
      })();
    }
    for (const text of ['bus', 'archive', '#17-', 'Über', '#399-3']) {
      const found = db
        .prepare<[string], { rowid: number }>('SELECT rowid FROM query_log_text WHERE query LIKE ? ORDER BY rowid')
        .all(`%${text}%`)
        .map((row) => row.rowid);
      const wanted = texts.flatMap((value, index) => (contains(value, text) ? [index + 1] : []));
      expect(wanted.length).toBeGreaterThan(0);
      expect(found).toEqual(wanted);
    }
    expect(() => db.exec("INSERT INTO query_log_text(query_log_text, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    db.close();
  });
});
