import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimeCursor } from '../lib/read/time-cursor';
import { parseQueryLogFilters } from '../lib/request/query-log-filters';
import { parseRange } from '../lib/request/range';
import { entityId } from '../lib/store/ids';
import { eventRollups } from '../lib/store/sql/call-rollups';
import { dashboardReader, makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// A tenant written by the real engine with a controlled clock; expectations come from the test's own SQL.
let tenant: Tenant;
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ from: '2026-11-01T00:00Z', to: '2026-11-21T00:00Z' }, NOW);
const read = () => dashboardReader(tenant, range);
const metricsFile = () => path.join(tenant.dataDir, 'metrics.db');
const graphFile = () => path.join(tenant.dataDir, 'graph.db');

beforeAll(() => {
  tenant = makeTenant('q');
  writeFile(
    tenant.kms,
    'ledger.md',
    '---\ntitle: Ledger Service\ntype: service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nThe ledger reconciles payments with `reconcile_job`.\n',
  );
  writeFile(
    tenant.kms,
    'nadia.md',
    '---\ntitle: Nadia Kim\ntype: person\n---\n# Nadia Kim\n\nNadia runs the [[Ledger Service]].\n',
  );
  writeFile(tenant.kms, 'broken.md', '---\ntitle: "open\n---\n');
  let clock = new Date('2026-11-10T09:30:00Z');
  const engine = openEngine(tenant, () => clock);
  engine.ingest(tenant.kms, { source: 'test' });
  const questions = ['ledger reconcile', 'Nadia Kim', 'nothing matches xyzzy', 'Ledger Service owner', 'payments'];
  questions.forEach((question, index) => {
    clock = new Date(Date.UTC(2026, 10, 12 + index, 10, index));
    engine.search({ query: question, sessionId: `s${index % 2}`, userId: index % 2 ? 'bob' : 'ann' });
  });
  engine.close();
});

afterAll(() => undefined);

describe('dashboard read models over a tenant written by the engine', () => {
  it('overview totals equal the raw rows', () => {
    const calls = read()('callActivity');
    const [events] = query<{ n: number; injected: number; baseline: number }>(
      metricsFile(),
      "SELECT COUNT(*) AS n, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = 'q'",
    );
    expect(calls.current.calls).toBe(events?.n);
    expect(calls.series.reduce((sum, point) => sum + point.calls, 0)).toBe(events?.n);
    expect(calls.current.tokensSaved).toBe(Math.max(0, (events?.baseline ?? 0) - (events?.injected ?? 0)));
    expect(calls.current.zeroResults).toBe(
      query<{ n: number }>(metricsFile(), 'SELECT COUNT(*) AS n FROM query_log WHERE result_count = 0')[0]?.n,
    );
    expect(calls.previous.calls).toBe(0);
    expect(read()('ingestActivity')?.current).toMatchObject({ ok: 2, failed: 1 });
    expect(read()('graphTotals', { user: null, memory: null }).entities).toBe(
      query<{ n: number }>(graphFile(), 'SELECT COUNT(*) AS n FROM entities')[0]?.n,
    );
    expect(read()('toolUsage').summaries).toEqual([expect.objectContaining({ tool: 'hydra_search_tool', calls: 5 })]);
    expect(read()('writerHealth')).toMatchObject({ metricsVersion: expect.any(Number), graphProblem: null });
  });

  it('ingest runs page by (ts, id), filter by status, count them all, and list each source once', () => {
    const all = read()('ingestRuns', { status: null, user: null, memory: null, before: null, order: 'newest', limit: 2 });
    expect(all.runs).toHaveLength(2);
    const [ts, id] = (all.nextCursor ?? '|').split('|');
    const rest = read()('ingestRuns', {
      status: null,
      user: null,
      memory: null,
      before: { ts: ts ?? '', id: Number(id) },
      order: 'newest',
      limit: 2,
    });
    const ids = [...all.runs, ...rest.runs].map((run) => run.id);
    expect(ids).toEqual(
      query<{ id: number }>(metricsFile(), 'SELECT id FROM ingest_runs ORDER BY ts DESC, id DESC').map((row) => row.id),
    );
    // The count is of every run the filters match, whatever the page: the table says "2 of 3 shown".
    const runCount = query<{ n: number }>(metricsFile(), 'SELECT COUNT(*) AS n FROM ingest_runs')[0]?.n;
    expect(runCount).toBeGreaterThan(2);
    expect([all.count, rest.count, all.countCapped]).toEqual([runCount, runCount, false]);
    const failed = read()('ingestRuns', { status: 'failed', user: null, memory: null, before: null, order: 'newest', limit: 50 });
    expect(failed.runs.map((run) => run.path)).toEqual(['broken.md']);
    expect(failed.count).toBe(1);
    const sources = read()('ingestSources');
    expect(sources.rows.map((row) => [row.path, row.status, row.chunks]).sort()).toEqual([
      ['broken.md', 'failed', null],
      ['ledger.md', 'ok', 1],
      ['nadia.md', 'ok', 1],
    ]);
    const activity = read()('ingestActivity');
    expect(activity?.current.ok).toBe(2);
    expect(activity?.series.length).toBe(20); // one point per day of the range, empty days included
  });

  it('ingest runs sorted oldest first page on and back in that order, one row a page', () => {
    const expected = query<{ id: number }>(metricsFile(), 'SELECT id FROM ingest_runs ORDER BY ts ASC, id ASC').map(
      (row) => row.id,
    );
    const args = { status: null, user: null, memory: null, order: 'oldest', limit: 1 } as const;
    const pages = [read()('ingestRuns', { ...args, before: null })];
    for (let last = pages[0]; last?.nextCursor; last = pages[pages.length - 1])
      pages.push(read()('ingestRuns', { ...args, before: parseTimeCursor(last.nextCursor) }));
    expect(pages.flatMap((page) => page.runs.map((run) => run.id))).toEqual(expected);
    // Each page's way back leads to the page before it, in the same order.
    const second = pages[1];
    const back = second?.previous;
    expect(back).toEqual({ cursor: null });
    const third = pages[2];
    const backFromThird = third?.previous?.cursor ?? null;
    expect(read()('ingestRuns', { ...args, before: parseTimeCursor(backFromThird) }).runs.map((run) => run.id)).toEqual([
      expected[1],
    ]);
  });

  it("query log filters, sorts and counts like the test's own SQL", () => {
    const page = (params: Record<string, string>) => read()('queryLog', parseQueryLogFilters(params));
    expect(page({}).count).toBe(5);
    expect(page({ zero: '1' }).rows.map((row) => row.query)).toEqual(['nothing matches xyzzy']);
    expect(
      page({ user: 'bob' })
        .rows.map((row) => row.query)
        .sort(),
    ).toEqual(['Nadia Kim', 'Ledger Service owner'].sort());
    expect(page({ q: 'LEDGER' }).count).toBe(2);
    const slowest = query<{ id: number }>(metricsFile(), 'SELECT id FROM query_log ORDER BY latency_ms DESC, id DESC').map(
      (row) => row.id,
    );
    expect(page({ sort: 'latency_desc' }).rows.map((row) => row.id)).toEqual(slowest);
    const first = page({ size: '2' });
    const second = page({ size: '2', cursor: first.nextCursor ?? '' });
    expect([...first.rows, ...second.rows].map((row) => row.query)).toEqual([
      'payments',
      'Ledger Service owner',
      'nothing matches xyzzy',
      'Nadia Kim',
    ]);
    const highlights = read()('queryHighlights', parseQueryLogFilters({}));
    expect(read()('queryHighlights', parseQueryLogFilters({ user: 'bob' })).slowest.map((row) => row.user_id)).toEqual([
      'bob',
      'bob',
    ]);
    expect(highlights.slowest[0]?.id).toBe(slowest[0]);
    expect(highlights.zeroResults.map((row) => row.query)).toEqual(['nothing matches xyzzy']);
    expect(read()('queryTools')).toEqual(['hydra_search_tool']);
  });

  it('a search detail lists the chunks and entities it returned', () => {
    const [row] = query<{ id: number; chunk_ids: string }>(
      metricsFile(),
      "SELECT id, chunk_ids FROM query_log WHERE query = 'Nadia Kim'",
    );
    const detail = read()('queryDetail', { id: row?.id ?? 0 });
    expect(detail?.chunks.map((chunk) => chunk.id)).toEqual(JSON.parse(row?.chunk_ids ?? '[]'));
    expect(detail?.chunks.every((chunk) => chunk.present)).toBe(true);
    const other = dashboardReader({ ...tenant, project: 'other' }, range);
    expect(other('queryDetail', { id: row?.id ?? 0 })).toBeNull();
  });

  it('graph snapshot, entity search and entity detail agree with the graph', () => {
    const snapshot = read()('graphSnapshot');
    expect(snapshot?.stats.totals.documents).toBe(2);
    const matches = read()('entitySearch', { text: 'ledger', user: null, memory: null });
    expect(matches.matches[0]?.name).toBe('Ledger Service'); // exact-ish names first
    const detail = read()('entityDetail', { id: entityId('q', 'Nadia Kim') });
    expect(detail?.entity.type).toBe('person');
    const degree = query<{ n: number }>(
      graphFile(),
      'SELECT (SELECT COUNT(*) FROM relations WHERE from_id = ?) + (SELECT COUNT(*) FROM relations WHERE to_id = ?) AS n',
      entityId('q', 'Nadia Kim'),
      entityId('q', 'Nadia Kim'),
    )[0]?.n;
    const relations = read()('entityRelations', { id: entityId('q', 'Nadia Kim') });
    expect(relations.relations).toBe(degree);
    expect(relations.groups.flatMap((group) => group.rows.map((row) => row.name))).toContain('Ledger Service');
    const mentioning = query<{ path: string }>(
      graphFile(),
      `SELECT DISTINCT d.path FROM mentions m JOIN chunks c ON c.id = m.chunk_id JOIN documents d ON d.id = c.doc_id
       WHERE m.entity_id = ? ORDER BY d.path`,
      entityId('q', 'Nadia Kim'),
    ).map((row) => row.path);
    expect(mentioning.length).toBeGreaterThan(0);
    expect(detail?.sources.rows.map((row) => row.path).sort()).toEqual(mentioning);
    const other = dashboardReader({ ...tenant, project: 'other' }, range);
    expect(other('entityDetail', { id: entityId('q', 'Nadia Kim') })).toBeNull();
  });

  it('exports read the same rows as the pages, a batch at a time, each batch continuing where the last stopped', () => {
    const filters = { ...parseQueryLogFilters({ sort: 'latency_desc' }) };
    const { cursor: _cursor, pageSize: _size, ...exportFilters } = filters;
    const ids: number[] = [];
    let cursor: string | null = null;
    for (let batch = 0; batch < 10; batch++) {
      const next: { rows: Array<Record<string, string | number | null>>; next: string | null } = read()('exportQueryLog', {
        filters: exportFilters,
        cursor,
        limit: 2,
      });
      ids.push(...next.rows.map((row) => Number(row.id)));
      cursor = next.next;
      if (cursor === null) break;
    }
    expect(ids).toEqual(
      query<{ id: number }>(metricsFile(), "SELECT id FROM query_log WHERE project = 'q' ORDER BY latency_ms DESC, id DESC").map(
        (row) => row.id,
      ),
    );
    const names: string[] = [];
    cursor = null;
    do {
      const next: { rows: Array<Record<string, string | number | null>>; next: string | null } = read()('exportEntities', {
        filters: { type: null },
        cursor,
        limit: 3,
      });
      names.push(...next.rows.map((row) => String(row.id)));
      cursor = next.next;
    } while (cursor !== null);
    expect(names).toEqual(
      query<{ id: string }>(graphFile(), "SELECT id FROM entities WHERE project = 'q' ORDER BY type, name, id").map(
        (row) => row.id,
      ),
    );
  });

  it('rolls raw events up like the writer does (for Python files)', () => {
    const db = new Database(metricsFile(), { readonly: true });
    const fromEvents = eventRollups(db, 'q', '2026-11-01T00:00:00.000000+00:00', '2026-11-21T00:00:00.000000+00:00');
    db.close();
    const fromWriter = query<{ hour: string; calls: number; searches: number }>(
      metricsFile(),
      'SELECT hour, calls, searches FROM call_rollup_hourly ORDER BY hour',
    );
    expect(
      fromEvents
        .map((row) => ({ hour: row.hour, calls: row.calls, searches: row.searches }))
        .sort((a, b) => a.hour.localeCompare(b.hour)),
    ).toEqual(fromWriter);
  });
});
