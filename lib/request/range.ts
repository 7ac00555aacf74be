import type { Bucket } from '../charts/time-buckets';

/**
 * The one time range every page uses, read from the URL (?range=7d or ?from=…&to=…, and ?tz=…) so
 * that each view is a link someone can share. Pure: the caller passes "now".
 */
export const RANGE_PRESETS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_PRESET: RangePreset = '7d';
/** Longest custom range: a year of hourly rollups is about 8,800 buckets per tool. */
const MAX_RANGE_MS = 366 * 86_400_000;

export interface TimeRange {
  from: Date;
  to: Date;
  preset: RangePreset | 'custom';
  /** Chart bucket: hours up to two days, days beyond. */
  bucket: Bucket;
  timeZone: string;
  /** Set when the URL asked for something invalid and a default was used instead. */
  problem: string | null;
}

export interface RangeParams {
  range?: string;
  from?: string;
  to?: string;
  tz?: string;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function bucketFor(lengthMs: number): Bucket {
  return lengthMs <= 2 * 86_400_000 ? 'hour' : 'day';
}

function isPreset(value: string | undefined): value is RangePreset {
  return value !== undefined && Object.hasOwn(RANGE_PRESETS, value);
}

/** An ISO date or date-time from the URL (2026-11-01, 2026-11-01T08:00Z), or null when it is not one. */
export function parseInstant(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return null;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseRange(params: RangeParams, now: Date): TimeRange {
  const problems: string[] = [];
  let timeZone = 'UTC';
  if (params.tz) {
    if (isTimeZone(params.tz)) timeZone = params.tz;
    else problems.push(`unknown time zone "${params.tz}", showing UTC`);
  }
  const result = (from: Date, to: Date, preset: TimeRange['preset']): TimeRange => ({
    from,
    to,
    preset,
    bucket: bucketFor(to.getTime() - from.getTime()),
    timeZone,
    problem: problems.length > 0 ? problems.join('; ') : null,
  });
  // A preset ends now, or at `to` when the URL gives one without `from` (a report's fixed "last 30 days").
  const preset = (name: RangePreset, end = now): TimeRange => result(new Date(end.getTime() - RANGE_PRESETS[name]), end, name);
  let name: RangePreset = DEFAULT_PRESET;
  if (params.range !== undefined) {
    if (isPreset(params.range)) name = params.range;
    else problems.push(`unknown range "${params.range}", showing ${DEFAULT_PRESET}`);
  }
  if (params.from) {
    const from = parseInstant(params.from);
    const to = params.to ? parseInstant(params.to) : now;
    if (!from || !to) problems.push('a custom range needs from and to as ISO dates (2026-11-01 or 2026-11-01T08:00Z)');
    else if (from.getTime() >= to.getTime()) problems.push('the custom range starts after it ends');
    else if (to.getTime() - from.getTime() > MAX_RANGE_MS) problems.push('a custom range can be at most 366 days long');
    else return result(from, to, 'custom');
    return preset(DEFAULT_PRESET);
  }
  if (params.to) {
    const to = parseInstant(params.to);
    if (to) return preset(name, to);
    problems.push(`"to" must be an ISO date (2026-11-01 or 2026-11-01T08:00Z); the range ends now`);
  }
  return preset(name);
}

/** The URL query that reproduces a range exactly: a preset keeps its end, so later loads show the same window. */
export function rangeQuery(range: Pick<TimeRange, 'from' | 'to' | 'preset' | 'timeZone'>): Record<string, string> {
  const query: Record<string, string> =
    range.preset === 'custom'
      ? { from: range.from.toISOString(), to: range.to.toISOString() }
      : { range: range.preset, to: range.to.toISOString() };
  if (range.timeZone !== 'UTC') query.tz = range.timeZone;
  return query;
}

/** The longest range a move may produce (the same limit as a custom range). */
export const MAX_SPAN_MS = MAX_RANGE_MS;

/** A range as the URL's custom from/to. */
function customQuery(from: number, to: number): { from: string; to: string } {
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/**
 * The range moved back or forward by half its length, as Grafana's `t ←` / `t →` do; never past
 * now (a move forward stops at now and keeps the length).
 */
export function shiftedRange(range: Pick<TimeRange, 'from' | 'to'>, direction: -1 | 1, now: Date): { from: string; to: string } {
  const span = range.to.getTime() - range.from.getTime();
  const to = Math.min(now.getTime(), range.to.getTime() + (direction * span) / 2);
  return customQuery(to - span, to);
}

/** The range twice as long around the same middle (`t z`), ending no later than now, at most 366 days. */
export function zoomedOutRange(range: Pick<TimeRange, 'from' | 'to'>, now: Date): { from: string; to: string } {
  const span = Math.min(MAX_RANGE_MS, 2 * (range.to.getTime() - range.from.getTime()));
  const middle = (range.from.getTime() + range.to.getTime()) / 2;
  const to = Math.min(now.getTime(), middle + span / 2);
  return customQuery(to - span, to);
}
