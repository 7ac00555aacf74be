import { describe, expect, it } from 'vitest';
import { latencyChart, toolUsageChart } from '../lib/charts/call-charts';
import { graphCategoryCharts, growthChart } from '../lib/charts/graph-charts';
import { ingestCharts } from '../lib/charts/ingest-charts';
import { overviewKpis } from '../lib/charts/overview-kpis';
import { PALETTE, toolColour, type SeriesColour } from '../lib/charts/palette';
import { bucketStarts } from '../lib/charts/time-buckets';
import { hasChartData } from '../lib/charts/time-series';
import type { CallActivity } from '../lib/read/call-activity';
import type { CallTotals } from '../lib/read/call-totals';
import type { IngestActivity } from '../lib/read/ingest-activity';
import type { IngestTotals } from '../lib/read/ingest-totals';
import { parseRange } from '../lib/request/range';

const NOW = new Date('2026-11-22T12:30:00Z');
const day = parseRange({ range: '7d' }, NOW);

/** WCAG relative luminance and contrast, computed here from the definition. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const calls = (values: Partial<CallTotals>): CallTotals => ({
  calls: 0,
  searches: 0,
  errors: 0,
  zeroResults: 0,
  tokensInjected: 0,
  tokensBaseline: 0,
  tokensSaved: 0,
  errorRate: null,
  p50: null,
  p95: null,
  p99: null,
  ...values,
});
const ingest = (values: Partial<IngestTotals>): IngestTotals => ({
  ok: 0,
  skipped: 0,
  failed: 0,
  durationMs: 0,
  chunksAdded: 0,
  chunksRemoved: 0,
  entitiesAdded: 0,
  entitiesRemoved: 0,
  relationsAdded: 0,
  relationsRemoved: 0,
  ...values,
});

describe('palette', () => {
  it('keeps every series colour at 3:1 or more against its theme’s panel (white, slate-900)', () => {
    const colours: SeriesColour[] = [
      ...Object.values(PALETTE),
      ...['a', 'b', 'c', 'd', 'e', 'other'].map((tool, rank) => toolColour(tool, rank)),
    ];
    for (const colour of colours) {
      expect(contrast(colour.light, '#ffffff'), colour.light).toBeGreaterThanOrEqual(3);
      expect(contrast(colour.dark, '#0f172a'), colour.dark).toBeGreaterThanOrEqual(3);
    }
  });
  it('gives "other" grey and the busiest tools distinct colours', () => {
    const ranked = ['a', 'b', 'c', 'd', 'e'].map((tool, rank) => toolColour(tool, rank).light);
    expect(new Set(ranked).size).toBe(5);
    expect(toolColour('other', 5)).toEqual(toolColour('other', 0));
    expect(ranked).not.toContain(toolColour('other', 5).light);
  });
});

describe('chart preparation', () => {
  it('labels every bucket in the time zone, rounds latencies and keeps gaps as gaps', () => {
    const starts = bucketStarts(day);
    const chart = latencyChart(
      starts.map((start, index) => ({ start, searches: index, p50: index === 2 ? null : 1.23456, p95: 10, p99: null })),
      day,
    );
    expect(chart.rows).toHaveLength(8);
    expect(chart.rows[0]).toEqual({ label: '15 Nov', start: starts[0], p50: 1.23, p95: 10, p99: null });
    expect(chart.rows[2]?.p50).toBeNull();
    expect(chart.series.map((series) => [series.key, series.kind, series.colour])).toEqual([
      ['p50', 'line', PALETTE.p50],
      ['p95', 'line', PALETTE.p95],
      ['p99', 'line', PALETTE.p99],
    ]);
    const berlin = latencyChart([{ start: Date.parse('2026-11-21T23:00:00Z'), searches: 1, p50: 1, p95: 1, p99: 1 }], {
      bucket: 'day',
      timeZone: 'Europe/Berlin',
    });
    expect(berlin.rows[0]?.label).toBe('22 Nov');
  });

  it('says a chart of gaps and zero bars has nothing to draw, and a single value or bar does', () => {
    const starts = bucketStarts(day);
    const gaps = latencyChart(
      starts.map((start) => ({ start, searches: 0, p50: null, p95: null, p99: null })),
      day,
    );
    expect(hasChartData(gaps)).toBe(false);
    const oneLate = latencyChart(
      starts.map((start, index) => ({ start, searches: 1, p50: null, p95: null, p99: index === 7 ? 0 : null })),
      day,
    );
    // A latency of 0 ms is a measurement, not a gap.
    expect(hasChartData(oneLate)).toBe(true);
    const bars = { series: [{ key: 'n', label: 'n', colour: PALETTE.ok, kind: 'bar' as const }] };
    expect(
      hasChartData({
        ...bars,
        rows: [
          { label: 'a', start: 0, n: 0 },
          { label: 'b', start: 1, n: 0 },
        ],
      }),
    ).toBe(false);
    expect(
      hasChartData({
        ...bars,
        rows: [
          { label: 'a', start: 0, n: 0 },
          { label: 'b', start: 1, n: 3 },
        ],
      }),
    ).toBe(true);
  });

  it('stacks tools by rank with "other" last, one row per bucket', () => {
    const chart = toolUsageChart(
      {
        summaries: [],
        tools: ['search', 'remember', 'other'],
        points: [{ start: Date.parse('2026-11-20T00:00:00Z'), calls: { search: 3, remember: 1, other: 2 } }],
      },
      day,
    );
    expect(chart.rows).toEqual([
      { label: '20 Nov', start: Date.parse('2026-11-20T00:00:00Z'), search: 3, remember: 1, other: 2 },
    ]);
    expect(chart.series.map((series) => [series.key, series.stack, series.kind])).toEqual([
      ['search', 'calls', 'bar'],
      ['remember', 'calls', 'bar'],
      ['other', 'calls', 'bar'],
    ]);
    expect(chart.series[2]?.colour).toEqual(toolColour('other', 2));
  });

  it('draws removals below the line and time per file only where files were processed', () => {
    const start = Date.parse('2026-11-20T00:00:00Z');
    const series = [
      {
        start,
        ...ingest({ ok: 3, failed: 1, durationMs: 40, chunksAdded: 5, chunksRemoved: 2, entitiesAdded: 4, entitiesRemoved: 1 }),
      },
      { start: start + 86_400_000, ...ingest({}) },
    ];
    const charts = ingestCharts(series, day);
    expect(charts.files.rows[0]).toMatchObject({ ok: 3, failed: 1, chunksAdded: 5, chunksRemoved: -2, msPerFile: 10 });
    expect(charts.duration.rows[1]?.msPerFile).toBeNull();
    expect(charts.changes.series.map((item) => item.stack)).toEqual([
      'chunks',
      'chunks',
      'entities',
      'entities',
      'relations',
      'relations',
    ]);
  });

  it('draws growth from the logged sizes, a gap before the first one', () => {
    const start = Date.parse('2026-11-20T00:00:00Z');
    const starts = [start, start + 86_400_000, start + 2 * 86_400_000];
    const sizes = [null, { entities: 12, relations: 30 }, { entities: 9, relations: 31 }];
    const growth = growthChart(sizes, starts, day);
    // The third bucket is after a merge: fewer entities, as the log says, not what ingest added.
    expect(growth.rows.map((row) => [row.label, row.entities, row.relations])).toEqual([
      ['20 Nov', null, null],
      ['21 Nov', 12, 30],
      ['22 Nov', 9, 31],
    ]);
  });

  it('reads category charts from the snapshot', () => {
    const charts = graphCategoryCharts({
      entitiesByType: [{ type: 'person', count: 3 }],
      relationsByType: [{ type: 'LINKS_TO', count: 9 }],
      degreeHistogram: [{ label: '0', upTo: 0, count: 2 }],
      confidenceHistogram: [{ label: '0.0–0.1', count: 1 }],
    });
    expect(charts.entityTypes.rows).toEqual([{ label: 'person', count: 3 }]);
    expect(charts.relationTypes).toEqual({ rows: [{ label: 'LINKS_TO', count: 9 }], colour: PALETTE.relationTypes });
  });
});

describe('overview KPI cards', () => {
  const activity = (current: Partial<CallTotals>, previous: Partial<CallTotals>, pythonFile = false): CallActivity => ({
    pythonFile,
    current: calls(current),
    previous: calls(previous),
    series: [{ start: 0, ...calls(current) }],
  });

  it('compares each card with the previous period and says whether that is good news', () => {
    const cards = overviewKpis(activity({ calls: 150, p50: 20 }, { calls: 100, p50: 10 }), null, null);
    const byId = Object.fromEntries(cards.map((card) => [card.id, card]));
    expect(byId.calls).toMatchObject({ valueText: '150', changeText: '▲ 50%', tone: 'good', series: [150] });
    expect(byId.p50).toMatchObject({ valueText: '20 ms', changeText: '▲ 100%', tone: 'bad' });
    expect(byId['error-rate']).toMatchObject({ changeText: 'no earlier data', tone: 'neutral' });
    expect(cards.map((card) => card.id)).toEqual(['calls', 'searches', 'p50', 'p95', 'error-rate', 'tokens-saved']);
  });

  it('leaves out the error rate for a Python file and adds ingest and graph cards where the stores have them', () => {
    expect(overviewKpis(activity({}, {}, true), null, null).map((card) => card.id)).not.toContain('error-rate');
    const ingestActivity: IngestActivity = {
      current: ingest({ ok: 4, entitiesAdded: 10, entitiesRemoved: 2 }),
      previous: ingest({ ok: 2 }),
      series: [{ start: 0, ...ingest({ ok: 4, entitiesAdded: 10, entitiesRemoved: 2 }) }],
    };
    const size = (entities: number) => ({ documents: 5, chunks: 9, entities, relations: 7 });
    const cards = overviewKpis(activity({}, {}), ingestActivity, {
      now: size(40),
      atStart: size(32),
      atEnd: size(40),
      endedEarlier: false,
      series: [size(40)],
    });
    const entities = cards.find((card) => card.id === 'entities');
    // The total now against the total at the range's start: 40 against 32.
    expect(entities).toMatchObject({ value: 40, previousText: '32', changeText: '▲ 25%', series: [40] });
    expect(entities?.comparedWith).toBe("since the range's start");
    // Against a base of 2 a percentage says little: the difference instead.
    expect(cards.find((card) => card.id === 'documents-ingested')).toMatchObject({ value: 4, changeText: '▲ +2' });
  });

  it('shows the difference, not a percentage, when the base is small or the change is more than tenfold', () => {
    const ingestActivity: IngestActivity = {
      current: ingest({ ok: 3, entitiesAdded: 4650, entitiesRemoved: 0 }),
      previous: ingest({ ok: 0 }),
      series: [{ start: 0, ...ingest({ ok: 3, entitiesAdded: 4650 }) }],
    };
    const size = (entities: number) => ({ documents: 5, chunks: 9, entities, relations: 7 });
    const graph = { now: size(4750), atStart: size(100), atEnd: size(4750), endedEarlier: false, series: [null] };
    const cards = overviewKpis(activity({ calls: 120, p95: 9 }, { calls: 5, p95: 6 }), ingestActivity, graph);
    const byId = Object.fromEntries(cards.map((card) => [card.id, card]));
    // 100 entities at the range's start, 4,750 now: 4,650 more rather than "▲ 4650%".
    expect(byId.entities).toMatchObject({ previousText: '100', changeText: '▲ +4,650' });
    expect(byId.calls).toMatchObject({ changeText: '▲ +115', tone: 'good' });
    expect(byId.p95).toMatchObject({ changeText: '▲ +3.0 ms', tone: 'bad' });
    // A previous window with nothing in it is nothing to compare with.
    expect(byId['documents-ingested']).toMatchObject({ changeText: 'no earlier data', tone: 'neutral', comparedWith: '' });
  });

  it('says "no earlier data" for every card whose previous window holds nothing, also after a busy one', () => {
    // Calls now, none before: nothing to compare with, not "▲ +5".
    const fresh = Object.fromEntries(
      overviewKpis(activity({ calls: 5, searches: 5, tokensSaved: 300 }, {}), null, null).map((card) => [card.id, card]),
    );
    for (const id of ['calls', 'searches', 'tokens-saved', 'p50'])
      expect(fresh[id], id).toMatchObject({ changeText: 'no earlier data', tone: 'neutral' });
    // None now, some before: the drop, in calls ("▼ −4"), not a percentage of a tiny base.
    const quiet = Object.fromEntries(overviewKpis(activity({}, { calls: 4, p50: 7 }), null, null).map((card) => [card.id, card]));
    expect(quiet.calls).toMatchObject({ changeText: '▼ −4', tone: 'bad' });
    expect(quiet.p50).toMatchObject({ changeText: 'none in this range', tone: 'neutral' });
    // A previous window with calls but no tokens saved: its zero is a value to compare with.
    const saved = overviewKpis(activity({ calls: 3, tokensSaved: 40 }, { calls: 2, tokensSaved: 0 }), null, null);
    expect(saved.find((card) => card.id === 'tokens-saved')).toMatchObject({ changeText: '▲ +40', tone: 'good' });
    // Without ingest rollups (a Python file) there are no ingest or graph cards.
    const graph = overviewKpis(activity({}, {}), null, null);
    expect(graph.map((card) => card.id)).not.toContain('entities');
  });
});
