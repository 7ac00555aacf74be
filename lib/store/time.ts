/**
 * Timestamps in the Python HydraMem's shape: ISO-8601 UTC with microseconds and an explicit offset,
 * e.g. 2026-07-01T17:31:18.123456+00:00. Lexical order equals time order, so windows compare as strings.
 */
export function isoTimestamp(date: Date = new Date()): string {
  const base = date.toISOString(); // 2026-07-01T17:31:18.123Z
  return `${base.slice(0, 23)}000+00:00`;
}

/** The start of the hour that contains `date`, in the same shape (rollup bucket key). */
export function hourBucket(date: Date): string {
  const hour = new Date(date.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return isoTimestamp(hour);
}

const parsed = new Map<string, number>();

/**
 * Parses a stored timestamp (ours, Python's, or SQLite's space-separated form) to epoch ms.
 * Rollup rows repeat the same hour many times, so results are remembered (a bounded cache).
 */
export function parseTimestamp(value: string): number {
  const known = parsed.get(value);
  if (known !== undefined) return known;
  if (parsed.size > 100_000) parsed.clear();
  const result = parseTimestampUncached(value);
  parsed.set(value, result);
  return result;
}

function parseTimestampUncached(value: string): number {
  const normalised = value.includes('T') ? value : value.replace(' ', 'T');
  const withZone = /([+-]\d\d:\d\d|Z)$/.test(normalised) ? normalised : `${normalised}Z`;
  // Date keeps milliseconds only; drop the extra fraction digits so parsing is exact and portable.
  return Date.parse(withZone.replace(/(\.\d{3})\d+/, '$1'));
}

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
