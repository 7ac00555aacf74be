import { describe, expect, it } from 'vitest';
import { bucketSpan } from '../lib/charts/time-series';
import { previousPage } from '../lib/read/paging';
import { notFoundText } from '../lib/request/not-found-text';
import { jumpTargets } from '../lib/request/page-list';
import { pagePosition, pagerLinks, positionText } from '../lib/request/paging';
import { shiftedRange, zoomedOutRange } from '../lib/request/range';
import { formatRangeField, parseRangeField } from '../lib/request/range-fields';
import { parseRefresh } from '../lib/request/refresh';

const at = (iso: string): Date => new Date(iso);

describe('range picker fields', () => {
  it('shows and reads dates in the format the pages use, in the chosen time zone', () => {
    expect(formatRangeField(at('2026-12-01T14:05:00Z'), 'UTC')).toBe('1 Dec 2026, 14:05');
    // Berlin is UTC+1 in December: 15:05 on the wall is 14:05 UTC.
    expect(formatRangeField(at('2026-12-01T14:05:00Z'), 'Europe/Berlin')).toBe('1 Dec 2026, 15:05');
    expect(parseRangeField('1 Dec 2026, 15:05', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T14:05:00.000Z');
    expect(parseRangeField('1 December 2026 15:05', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T14:05:00.000Z');
    expect(parseRangeField('2026-12-01 15:05', 'Europe/Berlin')?.toISOString()).toBe('2026-12-01T14:05:00.000Z');
    expect(parseRangeField('1 Dec 2026', 'UTC')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    // New York in July is UTC−4 (daylight time), in January UTC−5.
    expect(parseRangeField('4 Jul 2026, 12:00', 'America/New_York')?.toISOString()).toBe('2026-07-04T16:00:00.000Z');
    expect(parseRangeField('4 Jan 2026, 12:00', 'America/New_York')?.toISOString()).toBe('2026-01-04T17:00:00.000Z');
  });

  it('round-trips what it shows, and refuses what is not a real date', () => {
    for (const zone of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Sydney']) {
      const instant = at('2026-03-29T01:30:00Z');
      expect(parseRangeField(formatRangeField(instant, zone), zone)?.getTime(), zone).toBe(instant.getTime());
    }
    for (const bad of ['31 Feb 2026', '2026-02-30', '1 Dex 2026', '1 Dec 2026, 25:00', '12/01/2026', '', 'yesterday']) {
      expect(parseRangeField(bad, 'UTC'), bad).toBeNull();
    }
  });
});

describe('moving the range', () => {
  const now = at('2026-12-02T12:00:00Z');
  const week = { from: at('2026-11-25T12:00:00Z'), to: now };

  it('moves back and forward by half its length, never past now', () => {
    expect(shiftedRange(week, -1, now)).toEqual({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z' });
    expect(shiftedRange(week, 1, now)).toEqual({ from: '2026-11-25T12:00:00.000Z', to: '2026-12-02T12:00:00.000Z' });
    const older = { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-03T00:00:00Z') };
    expect(shiftedRange(older, 1, now)).toEqual({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z' });
  });

  it('zooms out to twice the length around the middle, ending by now, at most 366 days', () => {
    const day = { from: at('2026-11-10T00:00:00Z'), to: at('2026-11-11T00:00:00Z') };
    expect(zoomedOutRange(day, now)).toEqual({ from: '2026-11-09T12:00:00.000Z', to: '2026-11-11T12:00:00.000Z' });
    expect(zoomedOutRange(week, now)).toEqual({ from: '2026-11-18T12:00:00.000Z', to: '2026-12-02T12:00:00.000Z' });
    const year = { from: at('2025-12-02T12:00:00Z'), to: now };
    const zoomed = zoomedOutRange(year, now);
    expect(Date.parse(zoomed.to) - Date.parse(zoomed.from)).toBe(366 * 86_400_000);
  });

  it('turns a drag across buckets into the span from the first bucket start to the last bucket end', () => {
    const rows = [0, 1, 2, 3].map((hour) => ({ start: Date.parse('2026-12-01T00:00:00Z') + hour * 3_600_000 }));
    expect(bucketSpan(rows, 2, 1)).toEqual({ from: Date.parse('2026-12-01T01:00:00Z'), to: Date.parse('2026-12-01T03:00:00Z') });
    // The last bucket is as long as the one before it.
    expect(bucketSpan(rows, 1, 3)).toEqual({ from: Date.parse('2026-12-01T01:00:00Z'), to: Date.parse('2026-12-01T04:00:00Z') });
    expect(bucketSpan(rows, 1, 9)).toBeNull();
  });
});

describe('auto-refresh and the jump list', () => {
  it('knows the refresh choices and names a wrong one', () => {
    expect(parseRefresh(undefined)).toEqual({ choice: 'off', problem: null });
    expect(parseRefresh('30s')).toEqual({ choice: '30s', problem: null });
    expect(parseRefresh('1s').choice).toBe('off');
    expect(parseRefresh('1s').problem).toContain('unknown refresh "1s"');
  });

  it('jumps to pages by name, to a search by id, and to entity and search lists by text', () => {
    expect(jumpTargets('', false).map((target) => target.path)).toEqual([
      '/',
      '/ingest',
      '/graph',
      '/queries',
      '/gardener',
      '/users',
    ]);
    expect(jumpTargets('', true).map((target) => target.path)).toContain('/audit');
    expect(jumpTargets('aud', false).map((target) => target.path)).toEqual(['/graph', '/queries']);
    const byId = jumpTargets('#42', false);
    expect(byId[0]).toEqual({ label: 'Open search #42', path: '/queries/42', params: {} });
    expect(jumpTargets('Kerguelen', false)).toEqual([
      { label: 'Entities named “Kerguelen”', path: '/graph', params: { q: 'Kerguelen' } },
      { label: 'Searches containing “Kerguelen”', path: '/queries', params: { q: 'Kerguelen' } },
    ]);
  });
});

describe('paging both ways', () => {
  it('finds where the page before starts from the rows before the cursor', () => {
    const format = (row: number): string => `c${row}`;
    expect(previousPage([], 50, format)).toBeNull();
    // 30 rows back: the page before is the first page.
    expect(
      previousPage(
        Array.from({ length: 30 }, (_, index) => index),
        50,
        format,
      ),
    ).toEqual({ cursor: null });
    // 51 or more back: it starts after the row 50 places back.
    expect(
      previousPage(
        Array.from({ length: 51 }, (_, index) => index),
        50,
        format,
      ),
    ).toEqual({ cursor: 'c50' });
  });

  it('keeps the position in the URL and says which rows these are of how many', () => {
    expect(pagePosition(undefined, undefined)).toBe(1);
    expect(pagePosition('51', 'x|1')).toBe(51);
    expect(pagePosition(undefined, 'x|1')).toBeNull();
    expect(pagerLinks('cursor', 51, 50, 50, { cursor: null }, 'next|9')).toEqual({
      previous: { cursor: null, at: null },
      next: { cursor: 'next|9', at: '101' },
    });
    expect(pagerLinks('before', 151, 50, 20, { cursor: 'p|3' }, null)).toEqual({
      previous: { before: 'p|3', at: '101' },
      next: null,
    });
    expect(positionText(201, 100, { count: 10_000, capped: true })).toBe('201–300 of 10,000+');
    expect(positionText(1, 50, { count: 364, capped: false })).toBe('1–50 of 364');
    expect(positionText(51, 12, null)).toBe('rows 51–62');
    expect(positionText(null, 12, null)).toBeNull();
  });
});

describe('not found', () => {
  it('names what is not in the project, with controls shown', () => {
    expect(notFoundText('/queries/999', 'kestrel')).toBe('No search with id 999 in project kestrel.');
    expect(notFoundText('/graph/entity/abc', 'kestrel')).toBe('No entity with id abc in project kestrel.');
    expect(notFoundText('/users/liam%40omg.com', 'kestrel')).toBe('No user liam@omg.com in project kestrel.');
    expect(notFoundText('/nope%E2%80%AE', 'kestrel')).toBe('There is no page at /nope[U+202E].');
  });
});
