import { describe, expect, it } from 'vitest';
import { chartCsv, chartFileName } from '../lib/charts/chart-csv';
import { gardenCharts } from '../lib/charts/garden-charts';
import { bucketStart, bucketStarts, zoneOffsetMs } from '../lib/charts/time-buckets';
import {
  formatBucketLabel,
  formatChange,
  formatCount,
  formatMs,
  relativeChange,
  textPreview,
  withoutLinkSyntax,
} from '../lib/format';
import { groupIntoBuckets } from '../lib/read/buckets';
import { callSeries, totalCalls } from '../lib/read/call-totals';
import { gardenBuckets, type GardenRun } from '../lib/read/garden-history';
import { formatTimeCursor, parseTimeCursor } from '../lib/read/time-cursor';
import { previousWindow, splitWindow } from '../lib/read/window';
import { firstValues, linkQuery } from '../lib/request/links';
import { parseRange } from '../lib/request/range';
import type { CallRollupRow } from '../lib/store/sql/call-rollups';

const NOW = new Date('2026-11-22T12:30:00Z');

describe('time range from the URL', () => {
  it('reads presets, defaults to 7d, and says what was wrong', () => {
    expect(parseRange({ range: '24h' }, NOW)).toMatchObject({ preset: '24h', bucket: 'hour', problem: null });
    expect(parseRange({ range: '24h' }, NOW).from.toISOString()).toBe('2026-11-21T12:30:00.000Z');
    expect(parseRange({}, NOW)).toMatchObject({ preset: '7d', bucket: 'day' });
    expect(parseRange({ range: '5y' }, NOW)).toMatchObject({ preset: '7d', problem: 'unknown range "5y", showing 7d' });
    expect(parseRange({ range: 'constructor' }, NOW).preset).toBe('7d');
  });
  it('reads a custom range and rejects reversed, unparsable or over-long ones', () => {
    const custom = parseRange({ from: '2026-11-01', to: '2026-11-02T06:00Z' }, NOW);
    expect(custom).toMatchObject({ preset: 'custom', bucket: 'hour' });
    expect(custom.from.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseRange({ from: '2026-11-05', to: '2026-11-01' }, NOW).problem).toMatch(/starts after it ends/);
    expect(parseRange({ from: 'yesterday' }, NOW).problem).toMatch(/ISO dates/);
    expect(parseRange({ from: '2020-01-01', to: '2026-01-01' }, NOW).problem).toMatch(/366 days/);
  });
  it('ends a preset at a fixed "to" when one is given, so a report shows the same window on every load', () => {
    const anchored = parseRange({ range: '30d', to: '2026-11-01T06:00Z' }, NOW);
    expect(anchored).toMatchObject({ preset: '30d', bucket: 'day', problem: null });
    expect(anchored.to.toISOString()).toBe('2026-11-01T06:00:00.000Z');
    expect(anchored.from.toISOString()).toBe('2026-10-02T06:00:00.000Z');
    expect(parseRange({ to: '2026-11-01' }, NOW).from.toISOString()).toBe('2026-10-25T00:00:00.000Z');
    const bad = parseRange({ range: '24h', to: 'tomorrow' }, NOW);
    expect(bad.to).toEqual(NOW);
    expect(bad.problem).toMatch(/"to" must be an ISO date/);
  });
  it('validates the time zone', () => {
    expect(parseRange({ tz: 'Europe/Berlin' }, NOW).timeZone).toBe('Europe/Berlin');
    expect(parseRange({ tz: 'Mars/Olympus' }, NOW)).toMatchObject({
      timeZone: 'UTC',
      problem: 'unknown time zone "Mars/Olympus", showing UTC',
    });
  });
  it('gives the previous period of the same length', () => {
    const range = parseRange({ range: '7d' }, NOW);
    const previous = previousWindow(range);
    expect(previous.to.getTime()).toBe(range.from.getTime());
    expect(range.from.getTime() - previous.from.getTime()).toBe(7 * 86_400_000);
  });
  it('keeps project, range and time zone in links and nothing else', () => {
    expect(linkQuery({ project: 'a', range: '30d', tz: 'UTC', evil: '<x>' }, { cursor: '5' })).toBe(
      '?project=a&range=30d&tz=UTC&cursor=5',
    );
  });
  it('takes the first of a repeated parameter, as its own property whatever its name', () => {
    const params = firstValues(new URLSearchParams('project=a&project=b&__proto__=x&constructor=y'));
    expect(params.project).toBe('a');
    expect(Object.hasOwn(params, '__proto__')).toBe(true);
    expect(params.constructor).toBe('y');
    expect(firstValues({ range: ['30d', '1h'], tz: undefined })).toEqual({ range: '30d' });
  });
});

describe('keyset cursors', () => {
  it('round-trip the last row shown and start from the newest row on anything malformed', () => {
    const row = { ts: '2026-11-30T23:59:59.123456+00:00', id: 4812 };
    expect(parseTimeCursor(formatTimeCursor(row))).toEqual(row);
    expect(formatTimeCursor(row)).toBe('2026-11-30T23:59:59.123456+00:00|4812');
    for (const bad of ['', '2026-11-30|4', '2026-11-30T10:00:00Z|4', "2026-11-30T10:00:00+00:00|4' OR 1", '|', undefined, null]) {
      expect(parseTimeCursor(bad)).toBeNull();
    }
  });
});

describe('buckets', () => {
  it('starts days at local midnight in the chosen time zone, across a DST change', () => {
    expect(zoneOffsetMs('Europe/Berlin', Date.parse('2026-07-01T00:00:00Z'))).toBe(2 * 3_600_000);
    expect(new Date(bucketStart(Date.parse('2026-07-01T23:30:00Z'), 'day', 'Europe/Berlin')).toISOString()).toBe(
      '2026-07-01T22:00:00.000Z',
    );
    // Berlin leaves summer time on 25 Oct 2026: that day is 25 hours long.
    const starts = bucketStarts({
      from: new Date('2026-10-24T12:00:00Z'),
      to: new Date('2026-10-27T00:00:00Z'),
      bucket: 'day',
      timeZone: 'Europe/Berlin',
    });
    expect(starts.map((start) => new Date(start).toISOString())).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
      '2026-10-26T23:00:00.000Z',
    ]);
  });
  it('has every bucket of the range, including empty ones', () => {
    const range = {
      from: new Date('2026-11-22T09:10:00Z'),
      to: new Date('2026-11-22T12:30:00Z'),
      bucket: 'hour' as const,
      timeZone: 'UTC',
    };
    const counts = groupIntoBuckets(
      [Date.parse('2026-11-22T09:59:00Z'), Date.parse('2026-11-22T11:00:00Z'), Date.parse('2026-11-22T08:00:00Z')],
      (at) => at,
      bucketStarts(range),
      (rows) => rows.length,
    );
    expect(counts).toEqual([1, 0, 1, 0]);
  });
});

function rollup(
  hour: string,
  calls: number,
  latencyBins: Record<number, number>,
  extra: Partial<CallRollupRow> = {},
): CallRollupRow {
  const hist = Array.from({ length: 28 }, (_, index) => latencyBins[index] ?? 0);
  return {
    hour,
    tool: 'hydra_search_tool',
    calls,
    errors: 0,
    searches: calls,
    zero_results: 0,
    latency_hist: JSON.stringify(hist),
    tokens_injected: 0,
    tokens_baseline: 0,
    ...extra,
  };
}

describe('rollup summaries', () => {
  it('sums counts and tokens, and reads percentiles from the merged histograms', () => {
    // bin 5 is (7, 10] ms, bin 11 is (70, 100] ms
    const rows = [
      rollup('2026-11-22T09:00:00.000000+00:00', 90, { 5: 90 }, { errors: 3, tokens_injected: 100, tokens_baseline: 400 }),
      rollup('2026-11-22T10:00:00.000000+00:00', 10, { 11: 10 }, { tokens_injected: 500, tokens_baseline: 100 }),
    ];
    const totals = totalCalls(rows);
    expect(totals).toMatchObject({
      calls: 100,
      errors: 3,
      errorRate: 0.03,
      tokensInjected: 600,
      tokensBaseline: 500,
      tokensSaved: 0,
    });
    expect(totals.p50).toBeGreaterThan(7);
    expect(totals.p50).toBeLessThanOrEqual(10);
    expect(totals.p95).toBeGreaterThan(70);
    expect(totals.p95).toBeLessThanOrEqual(100);
  });
  it('draws hours without calls as zero calls and as gaps in latency', () => {
    const range = parseRange({ from: '2026-11-22T09:00Z', to: '2026-11-22T12:00Z' }, NOW);
    const series = callSeries(
      [rollup('2026-11-22T09:00:00.000000+00:00', 4, { 3: 4 }), rollup('2026-11-22T11:00:00.000000+00:00', 2, { 3: 2 })],
      bucketStarts(range),
    );
    expect(series.map((point) => point.calls)).toEqual([4, 0, 2]);
    expect(series.map((point) => point.p50 === null)).toEqual([false, true, false]);
    expect(series[1]?.errorRate).toBeNull();
  });
});

describe('formatting', () => {
  it('formats counts, durations and changes', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(null)).toBe('–');
    expect(formatMs(2.345)).toBe('2.3 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(relativeChange(150, 100)).toBeCloseTo(0.5);
    expect(relativeChange(5, 0)).toBeNull();
    // From a net loss of 6 to a net gain of 265: up by 271 / 6.
    expect(relativeChange(265, -6)).toBeCloseTo(45.1667);
    expect(relativeChange(-12, -6)).toBeCloseTo(-1);
    expect(formatChange(0.5)).toBe('▲ 50%');
    expect(formatChange(-0.042)).toBe('▼ 4.2%');
    expect(formatChange(null)).toBe('no earlier data');
  });
});

describe('Night Gardener chart rows', () => {
  const run = (started: string, status: GardenRun['status'], duration: number | null, merged = 0): GardenRun => ({
    id: 1,
    started_at: started,
    finished_at: null,
    status,
    trigger: 'schedule',
    entities_merged: merged,
    orphans_pruned: 1,
    relations_decayed: 2,
    entities_boosted: 0,
    duration_ms: duration,
    error: null,
  });

  it('counts runs by status per day, sums their work, and leaves a gap where none finished', () => {
    const range = parseRange({ range: '7d', tz: 'UTC' }, NOW);
    const buckets = gardenBuckets(
      [
        run('2026-11-20T03:00:00.000000+00:00', 'ok', 1200, 3),
        run('2026-11-20T15:00:00.000000+00:00', 'failed', 300),
        run('2026-11-22T03:00:00.000000+00:00', 'running', null),
      ],
      bucketStarts(range),
    );
    const charts = gardenCharts(buckets, range);
    const rows = charts.runs.rows;
    expect(charts.work.rows).toBe(rows);
    expect(charts.work.series.map((series) => [series.key, series.stack])).toEqual([
      ['merged', 'work'],
      ['pruned', 'work'],
      ['decayed', 'work'],
      ['boosted', 'work'],
    ]);
    expect(rows).toHaveLength(bucketStarts(range).length);
    const byLabel = (label: string) => rows.find((row) => row.label === label);
    expect(byLabel(formatBucketLabel(Date.parse('2026-11-20T00:00:00Z'), 'day', 'UTC'))).toMatchObject({
      ok: 1,
      failed: 1,
      running: 0,
      merged: 3,
      pruned: 2,
      decayed: 4,
      maxDurationMs: 1200,
    });
    expect(byLabel(formatBucketLabel(Date.parse('2026-11-22T00:00:00Z'), 'day', 'UTC'))).toMatchObject({
      running: 1,
      maxDurationMs: null,
    });
    expect(byLabel(formatBucketLabel(Date.parse('2026-11-21T00:00:00Z'), 'day', 'UTC'))).toMatchObject({
      ok: 0,
      maxDurationMs: null,
    });
  });
});

describe('chart data as CSV', () => {
  it('writes a header of series labels and one line per row, in column order', () => {
    const csv = chartCsv(
      [
        { label: '20 Nov', ok: 3, failed: null },
        { label: '=21 Nov', ok: 0, failed: 2 },
      ],
      [
        { key: 'label', label: 'bucket' },
        { key: 'ok', label: 'ok' },
        { key: 'failed', label: 'failed' },
      ],
    );
    expect(csv).toBe("bucket,ok,failed\r\n20 Nov,3,\r\n'=21 Nov,0,2\r\n");
    expect(chartFileName('Entities and relations over time', 'png')).toBe('entities-and-relations-over-time.png');
    expect(chartFileName('???', 'csv')).toBe('chart.csv');
  });
});

describe('shown text', () => {
  it('shows a wikilink as its name or its label, never the brackets', () => {
    expect(withoutLinkSyntax('Ask [[Nadia Kim]] about [[ledger-service|the ledger]].')).toBe('Ask Nadia Kim about the ledger.');
    expect(textPreview('# Title\n\nSee [[A]], [[b|B]] and [x](y).')).toBe('See A, B and [x](y).');
    expect(withoutLinkSyntax('[[]] and [single]')).toBe(' and [single]');
  });
});

describe('exact windows', () => {
  it('splits a window into whole hours and the partial hours at its ends', () => {
    const at = (iso: string) => new Date(iso);
    expect(splitWindow({ from: at('2026-11-13T10:30:00Z'), to: at('2026-11-13T11:30:00Z') })).toEqual({
      hours: null,
      edges: [{ from: '2026-11-13T10:30:00.000000+00:00', to: '2026-11-13T11:30:00.000000+00:00' }],
    });
    expect(splitWindow({ from: at('2026-11-13T10:30:00Z'), to: at('2026-11-13T13:00:00Z') })).toEqual({
      hours: { from: '2026-11-13T11:00:00.000000+00:00', to: '2026-11-13T13:00:00.000000+00:00' },
      edges: [{ from: '2026-11-13T10:30:00.000000+00:00', to: '2026-11-13T11:00:00.000000+00:00' }],
    });
  });
});
