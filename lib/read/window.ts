import { hourBucket, isoTimestamp } from '../store/time';

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** A window's ends as stored timestamps, so windows compare as strings on the (project, ts) indexes. */
export function tsBounds(window: TimeWindow): { from: string; to: string } {
  return { from: isoTimestamp(window.from), to: isoTimestamp(window.to) };
}

const DAY_MS = 86_400_000;

/** The UTC dates (YYYY-MM-DD) a window touches, first to last. */
export function windowDays(window: TimeWindow): string[] {
  const days: string[] = [];
  const last = isoTimestamp(new Date(Math.max(window.from.getTime(), window.to.getTime() - 1))).slice(0, 10);
  for (let day = new Date(`${isoTimestamp(window.from).slice(0, 10)}T00:00:00Z`); ; day = new Date(day.getTime() + DAY_MS)) {
    const date = isoTimestamp(day).slice(0, 10);
    days.push(date);
    if (date >= last) return days;
  }
}

/** The window of the same length just before, for "change against the previous period". */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = window.to.getTime() - window.from.getTime();
  return { from: new Date(window.from.getTime() - length), to: new Date(window.from.getTime()) };
}

/**
 * The hourly rollup rows a window needs: from the hour that holds its start (an hour bucket that
 * overlaps the start counts) to its end.
 */
export function hourBounds(window: TimeWindow): { from: string; to: string } {
  return { from: hourBucket(window.from), to: isoTimestamp(window.to) };
}

/** Whether an hourly row (its hour's start, epoch ms) belongs to a window: it overlaps the window. */
export function hourInWindow(hourStart: number, window: TimeWindow): boolean {
  return hourStart > window.from.getTime() - 3_600_000 && hourStart < window.to.getTime();
}

/**
 * A window split for exact totals: the whole UTC hours inside it (read from hourly rollups) and
 * the partial hours at its ends (read from the raw rows, at most two hours' worth).
 */
export interface SplitWindow {
  /** Rollup rows with `hour` in [from, to), or null when no whole hour fits. */
  hours: { from: string; to: string } | null;
  edges: Array<{ from: string; to: string }>;
}

const HOUR_MS = 3_600_000;

export function splitWindow(window: TimeWindow): SplitWindow {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  const iso = (ms: number) => isoTimestamp(new Date(ms));
  if (firstHour >= lastHour) return { hours: null, edges: from < to ? [{ from: iso(from), to: iso(to) }] : [] };
  const edges: SplitWindow['edges'] = [];
  if (from < firstHour) edges.push({ from: iso(from), to: iso(firstHour) });
  if (lastHour < to) edges.push({ from: iso(lastHour), to: iso(to) });
  return { hours: { from: iso(firstHour), to: iso(lastHour) }, edges };
}
