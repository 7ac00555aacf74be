import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityDetail } from '../lib/queries/entity-detail';
import { searchEntities } from '../lib/queries/entity-search';
import { eventRollups } from '../lib/queries/event-rollups';
import { graphSnapshot } from '../lib/queries/graph-snapshot';
import { ingestActivity } from '../lib/queries/ingest-activity';
import { ingestRuns } from '../lib/queries/ingest-runs';
import { ingestSources } from '../lib/queries/ingest-sources';
import { overview } from '../lib/queries/overview';
import { queryDetail } from '../lib/queries/query-detail';
import { queryHighlights } from '../lib/queries/query-highlights';
import { queryLog } from '../lib/queries/query-log';
import { parseQueryLogFilters } from '../lib/queries/query-log-filters';
import { parseRange } from '../lib/queries/range';
import { withStores } from '../lib/queries/stores';
import { entityId } from '../lib/store/ids';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// A tenant written by the real engine with a controlled clock; expectations come from the test's own SQL.
let tenant: Tenant;
const NOW = new Date('2026-11-20T12:00:00Z');
const range = parseRange({ from: '2026-11-01T00:00Z', to: '2026-11-21T00:00Z' }, NOW);
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
    const data = withStores(tenant.config, (stores) => overview(stores, 'q', range));
    const [events] = query<{ n: number; injected: number; baseline: number }>(
      metricsFile(),
      "SELECT COUNT(*) AS n, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = 'q'",
    );
    expect(data.calls.current.calls).toBe(events?.n);
    expect(data.calls.current.tokensSaved).toBe(Math.max(0, (events?.baseline ?? 0) - (events?.injected ?? 0)));
    expect(data.calls.current.zeroResults).toBe(
      query<{ n: number }>(metricsFile(), 'SELECT COUNT(*) AS n FROM query_log WHERE result_count = 0')[0]?.n,
    );
    expect(data.ingest?.current).toMatchObject({ ok: 2, failed: 1 });
    expect(data.graph?.entities).toBe(query<{ n: number }>(graphFile(), 'SELECT COUNT(*) AS n FROM entities')[0]?.n);
    expect(data.calls.previous.calls).toBe(0);
    expect(data.tools.summaries).toEqual([expect.objectContaining({ tool: 'hydra_search_tool', calls: 5 })]);
  });

  it('ingest runs page by (ts, id), filter by status, and list each source once', () => {
    const all = withStores(tenant.config, (stores) => ingestRuns(stores.metrics.db, 'q', range, { limit: 2 }));
    expect(all.runs).toHaveLength(2);
    const rest = withStores(tenant.config, (stores) =>
      ingestRuns(stores.metrics.db, 'q', range, { limit: 2, before: all.nextCursor ?? undefined }),
    );
    const ids = [...all.runs, ...rest.runs].map((run) => run.id);
    expect(ids).toEqual(
      query<{ id: number }>(metricsFile(), 'SELECT id FROM ingest_runs ORDER BY ts DESC, id DESC').map((row) => row.id),
    );
    const failed = withStores(tenant.config, (stores) =>
      ingestRuns(stores.metrics.db, 'q', range, { limit: 50, status: 'failed' }),
    );
    expect(failed.runs.map((run) => run.path)).toEqual(['broken.md']);
    const sources = withStores(tenant.config, (stores) => ingestSources(stores.metrics.db, stores.graph?.db ?? null, 'q'));
    expect(sources.rows.map((row) => [row.path, row.status, row.chunks]).sort()).toEqual([
      ['broken.md', 'failed', null],
      ['ledger.md', 'ok', 1],
      ['nadia.md', 'ok', 1],
    ]);
    const activity = withStores(tenant.config, (stores) => ingestActivity(stores.metrics.db, 'q', range));
    expect(activity?.totals.ok).toBe(2);
    expect(activity?.series.length).toBe(20); // one point per day of the range, empty days included
  });

  it("query log filters, sorts and counts like the test's own SQL", () => {
    const page = (params: Record<string, string>) =>
      withStores(tenant.config, (stores) => queryLog(stores.metrics.db, 'q', range, parseQueryLogFilters(params)));
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
    const second = withStores(tenant.config, (stores) =>
      queryLog(stores.metrics.db, 'q', range, parseQueryLogFilters({ size: '2', cursor: first.nextCursor ?? '' })),
    );
    expect([...first.rows, ...second.rows].map((row) => row.query)).toEqual([
      'payments',
      'Ledger Service owner',
      'nothing matches xyzzy',
      'Nadia Kim',
    ]);
    const highlights = withStores(tenant.config, (stores) => queryHighlights(stores.metrics.db, 'q', range));
    expect(highlights.slowest[0]?.id).toBe(slowest[0]);
    expect(highlights.zeroResults.map((row) => row.query)).toEqual(['nothing matches xyzzy']);
  });

  it('a search detail lists the chunks and entities it returned', () => {
    const [row] = query<{ id: number; chunk_ids: string }>(
      metricsFile(),
      "SELECT id, chunk_ids FROM query_log WHERE query = 'Nadia Kim'",
    );
    const detail = withStores(tenant.config, (stores) =>
      queryDetail(stores.metrics.db, stores.graph?.db ?? null, 'q', row?.id ?? 0),
    );
    expect(detail?.chunks.map((chunk) => chunk.id)).toEqual(JSON.parse(row?.chunk_ids ?? '[]'));
    expect(detail?.chunks.every((chunk) => chunk.present)).toBe(true);
    expect(withStores(tenant.config, (stores) => queryDetail(stores.metrics.db, null, 'other', row?.id ?? 0))).toBeNull();
  });

  it('graph snapshot, entity search and entity detail agree with the graph', () => {
    const snapshot = withStores(tenant.config, (stores) => graphSnapshot(stores.graph!.db, 'q'));
    expect(snapshot?.stats.totals.documents).toBe(2);
    const matches = withStores(tenant.config, (stores) => searchEntities(stores.graph!.db, 'q', 'ledger'));
    expect(matches.matches[0]?.name).toBe('Ledger Service'); // exact-ish names first
    const detail = withStores(tenant.config, (stores) => entityDetail(stores.graph!.db, 'q', entityId('q', 'Nadia Kim')));
    expect(detail?.entity.type).toBe('person');
    const degree = query<{ n: number }>(
      graphFile(),
      'SELECT (SELECT COUNT(*) FROM relations WHERE from_id = ?) + (SELECT COUNT(*) FROM relations WHERE to_id = ?) AS n',
      entityId('q', 'Nadia Kim'),
      entityId('q', 'Nadia Kim'),
    )[0]?.n;
    expect(detail?.neighbours.total).toBe(degree);
    expect(detail?.neighbours.rows.map((row) => row.name)).toContain('Ledger Service');
    const mentioning = query<{ path: string }>(
      graphFile(),
      `SELECT DISTINCT d.path FROM mentions m JOIN chunks c ON c.id = m.chunk_id JOIN documents d ON d.id = c.doc_id
       WHERE m.entity_id = ? ORDER BY d.path`,
      entityId('q', 'Nadia Kim'),
    ).map((row) => row.path);
    expect(mentioning.length).toBeGreaterThan(0);
    expect(detail?.sources.rows.map((row) => row.path).sort()).toEqual(mentioning);
    expect(withStores(tenant.config, (stores) => entityDetail(stores.graph!.db, 'other', entityId('q', 'Nadia Kim')))).toBeNull();
  });

  it('rolls raw events up like the writer does (for Python files)', () => {
    const fromEvents = withStores(tenant.config, (stores) =>
      eventRollups(stores.metrics.db, 'q', '2026-11-01T00:00:00.000000+00:00', '2026-11-21T00:00:00.000000+00:00'),
    );
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
