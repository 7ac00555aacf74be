import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overviewKpis } from '../lib/charts/overview-kpis';
import { parseRange } from '../lib/request/range';
import { dashboardReader, makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

// One definition of a KPI card's change, checked on a tenant the real writer built with a controlled
// clock. Expected values come from the test's own counts and SQL, never from the dashboard's code.
let tenant: Tenant;
const graphFile = () => path.join(tenant.dataDir, 'graph.db');
const metricsFile = () => path.join(tenant.dataDir, 'metrics.db');
const count = (table: string): number =>
  query<{ n: number }>(graphFile(), `SELECT COUNT(*) AS n FROM ${table} WHERE project = 'k'`)[0]?.n ?? 0;

/** The graph's size the test saw itself, right after each step. */
const seen: Array<{ at: Date; entities: number; relations: number; chunks: number }> = [];
const INGEST = new Date('2026-11-10T09:12:00Z');
const GARDEN = new Date('2026-11-11T03:12:00Z');
const SECOND = new Date('2026-11-12T14:00:00Z');
const NOW = new Date('2026-11-13T12:00:00Z');

beforeAll(() => {
  tenant = makeTenant('k');
  writeFile(tenant.kms, 'platform.md', '# Platform Team\n\nThe team owns billing with [[Ledger]]. Ask [[Ali]].\n');
  writeFile(tenant.kms, 'alice.md', '---\ntitle: Alice Moreau\naliases: [Ali]\n---\n# Alice Moreau\n\nAlice runs [[Ledger]].\n');
  let clock = INGEST;
  const engine = openEngine(tenant, () => clock);
  const look = () =>
    seen.push({ at: clock, entities: count('entities'), relations: count('relations'), chunks: count('chunks') });
  engine.ingest(path.join(tenant.kms, 'platform.md'), { source: 'test' });
  engine.ingest(path.join(tenant.kms, 'alice.md'), { source: 'test' });
  look();
  clock = GARDEN;
  // The gardener folds [[Ali]] into Alice Moreau: one entity fewer, and no ingest run says so.
  expect(engine.runGarden({ trigger: 'manual', command: 'test' }).entitiesMerged).toBe(1);
  look();
  clock = SECOND;
  writeFile(tenant.kms, 'ledger.md', '# Ledger\n\nThe [[Ledger]] settles with [[Clearing House]] nightly.\n');
  engine.ingest(path.join(tenant.kms, 'ledger.md'), { source: 'test' });
  look();
  // Calls at minutes that make hours and windows disagree: 09:05 on the 13th; 11:20, 11:55, 12:40, 12:50 on the 12th.
  const times = ['2026-11-12T11:20:00Z', '2026-11-12T11:55:00Z', '2026-11-12T12:40:00Z', '2026-11-12T12:50:00Z'];
  for (const at of [...times, '2026-11-13T09:05:00Z']) {
    clock = new Date(at);
    engine.search({ query: 'ledger billing' });
  }
  engine.close();
});

afterAll(() => undefined);

/** What the test saw last before `at`, or null before its first step. */
function seenBefore(at: Date) {
  return [...seen].reverse().find((step) => step.at < at) ?? null;
}

describe("a graph total's change is the total now minus the total at the range's start", () => {
  for (const from of ['2026-11-09T00:00Z', '2026-11-10T12:00Z', '2026-11-11T06:00Z', '2026-11-12T20:00Z']) {
    it(`from ${from}`, () => {
      const range = parseRange({ from, to: NOW.toISOString() }, NOW);
      const growth = dashboardReader(tenant, range)('graphGrowth');
      const before = seenBefore(range.from);
      expect(growth.now.entities).toBe(count('entities'));
      expect(growth.atStart?.entities ?? null).toBe(before?.entities ?? null);
      expect(growth.atStart?.relations ?? null).toBe(before?.relations ?? null);
      expect(growth.atStart?.chunks ?? null).toBe(before?.chunks ?? null);
      const read = dashboardReader(tenant, range);
      const card = overviewKpis(read('callActivity'), read('ingestActivity'), growth).find((c) => c.id === 'entities');
      const difference = count('entities') - (before?.entities ?? 0);
      expect(card?.changeText).toBe(
        before === null
          ? 'no earlier data'
          : difference === 0
            ? 'no change'
            : `${difference > 0 ? '▲ +' : '▼ −'}${Math.abs(difference)}`,
      );
    });
  }

  it('counts the merge: across the gardener run, entities fell though ingest only added', () => {
    const range = parseRange({ from: '2026-11-10T12:00Z', to: '2026-11-11T12:00Z' }, NOW);
    const growth = dashboardReader(tenant, range)('graphGrowth');
    expect(growth.atStart?.entities).toBe(seen[0]?.entities);
    // The size at the end of the last bucket is the size after the merge.
    expect(growth.series.at(-1)?.entities).toBe(seen[1]?.entities);
    expect(seen[1]!.entities).toBe(seen[0]!.entities - 1);
  });

  it('a range that ended before later changes shows the totals at its end, not now', () => {
    // From before the first ingest to after the merge, ending before the second ingest added more.
    const range = parseRange({ from: '2026-11-09T00:00Z', to: '2026-11-11T12:00Z' }, NOW);
    const growth = dashboardReader(tenant, range)('graphGrowth');
    const atEnd = seenBefore(range.to);
    expect(atEnd).not.toBeNull();
    expect(atEnd!.entities).not.toBe(count('entities')); // the second ingest changed the graph since
    expect(growth).toMatchObject({ endedEarlier: true, atEnd: { entities: atEnd!.entities, relations: atEnd!.relations } });
    const read = dashboardReader(tenant, range);
    const card = overviewKpis(read('callActivity'), read('ingestActivity'), growth).find((c) => c.id === 'entities');
    // Nothing was logged before the range, so there is no change to give; the value is the end's.
    expect(card).toMatchObject({ value: atEnd!.entities, changeText: 'no earlier data', hint: "total at the range's end" });
    // A range ending now shows the graph now.
    const live = dashboardReader(tenant, parseRange({ from: '2026-11-09T00:00Z', to: NOW.toISOString() }, NOW))('graphGrowth');
    expect(live).toMatchObject({ endedEarlier: false, atEnd: { entities: count('entities') } });
  });
});

describe('calls are compared window for window, to the minute', () => {
  const calls = (from: string, to: string): number =>
    query<{ n: number }>(
      metricsFile(),
      "SELECT COUNT(*) AS n FROM events WHERE project = 'k' AND ts >= ? AND ts < ?",
      from,
      to,
    )[0]?.n ?? 0;
  const iso = (date: Date) => date.toISOString().replace('Z', '000+00:00');

  for (const [label, to] of [
    // The reported defect: "0 ▼100%" from a call at 09:05, outside both windows but in an hour they touch.
    ['1h ending 11:30: no calls, none the hour before', '2026-11-13T11:30:00Z'],
    ['1h ending 12:45: two calls, one the hour before', '2026-11-12T12:45:00Z'],
    ['1h ending 13:00: two calls, two the hour before', '2026-11-12T13:00:00Z'],
  ] as const) {
    it(label, () => {
      const end = new Date(to);
      const range = parseRange({ range: '1h', to }, end);
      const start = new Date(end.getTime() - 3_600_000);
      const before = new Date(start.getTime() - 3_600_000);
      const activity = dashboardReader(tenant, range)('callActivity');
      const now = calls(iso(start), iso(end));
      const earlier = calls(iso(before), iso(start));
      expect(activity.current.calls).toBe(now);
      expect(activity.previous.calls).toBe(earlier);
      const card = overviewKpis(activity, null, null).find((c) => c.id === 'calls');
      const difference = now - earlier;
      expect(card?.changeText).toBe(
        earlier === 0
          ? 'no earlier data'
          : difference === 0
            ? 'no change'
            : `${difference > 0 ? '▲ +' : '▼ −'}${Math.abs(difference)}`,
      );
    });
  }
});
