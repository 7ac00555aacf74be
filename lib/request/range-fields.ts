import { zoneOffsetMs } from '../charts/time-buckets';
import { formatInstant } from '../format';

/**
 * The range picker's From/To fields, in the one date format every page uses ("1 Dec 2026, 14:05")
 * and in the time zone the page shows (pure, unit-tested). ISO dates are accepted as well.
 */
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WRITTEN = /^(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2}))?$/;

export const RANGE_FIELD_EXAMPLE = '1 Dec 2026, 14:00';

export function formatRangeField(at: Date, timeZone: string): string {
  return formatInstant(at, timeZone);
}

/** Wall-clock time in a time zone → the instant (two passes settle the offset around DST changes). */
export function zonedInstant(wall: number, timeZone: string): number {
  const first = wall - zoneOffsetMs(timeZone, wall);
  return wall - zoneOffsetMs(timeZone, first);
}

/** A field's text as an instant in `timeZone`, or null when it is not a real date and time. */
export function parseRangeField(text: string, timeZone: string): Date | null {
  const value = text.trim();
  let parts: [number, number, number, number, number] | null = null;
  const written = WRITTEN.exec(value);
  if (written) {
    // "Dec", "Sept" and "December" all name December.
    const name = (written[2] ?? '').toLowerCase();
    const month = MONTHS.findIndex((full) => full.startsWith(name));
    if (month < 0) return null;
    parts = [Number(written[3]), month, Number(written[1]), Number(written[4] ?? 0), Number(written[5] ?? 0)];
  }
  const iso = ISO.exec(value);
  if (iso) parts = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0)];
  if (!parts) return null;
  const [year, month, day, hour, minute] = parts;
  if (hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month, day, hour, minute);
  // Date.UTC rolls 31 Feb over into March: a date that does not exist is refused, not moved.
  if (new Date(wall).getUTCDate() !== day || new Date(wall).getUTCMonth() !== month) return null;
  return new Date(zonedInstant(wall, timeZone));
}
