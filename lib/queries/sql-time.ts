import { isoTimestamp } from '../store/time';
import type { TimeRange } from './range';

/** The range's ends as stored timestamps, so windows compare as strings on the (project, ts) indexes. */
export function tsBounds(range: Pick<TimeRange, 'from' | 'to'>): { from: string; to: string } {
  return { from: isoTimestamp(range.from), to: isoTimestamp(range.to) };
}
