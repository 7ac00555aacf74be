import { hourBucket, isoTimestamp } from '../store/time';

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** A window's ends as stored timestamps, so windows compare as strings on the (project, ts) indexes. */
export function tsBounds(window: TimeWindow): { from: string; to: string } {
  return { from: isoTimestamp(window.from), to: isoTimestamp(window.to) };
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
