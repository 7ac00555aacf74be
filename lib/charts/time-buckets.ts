/** Chart buckets: hours up to two days, days in the viewer's time zone beyond. */
export type Bucket = 'hour' | 'day';

/** What bucketing needs to know of a time range. */
export interface BucketedWindow {
  from: Date;
  to: Date;
  bucket: Bucket;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building a formatter costs far more than using one: keep one per time zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of a time zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  if (timeZone === 'UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(at));
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Start of the bucket holding `at`: the UTC hour, or local midnight in the chosen time zone. */
export function bucketStart(at: number, bucket: Bucket, timeZone: string): number {
  if (bucket === 'hour') return Math.floor(at / 3_600_000) * 3_600_000;
  const offset = zoneOffsetMs(timeZone, at);
  const localMidnight = Math.floor((at + offset) / 86_400_000) * 86_400_000;
  // The offset at midnight can differ from the offset now (a DST change that day).
  return localMidnight - zoneOffsetMs(timeZone, localMidnight - offset);
}

function nextBucket(start: number, bucket: Bucket, timeZone: string): number {
  if (bucket === 'hour') return start + 3_600_000;
  // Step a day and a half then snap back to midnight: days are 23 to 25 hours long around DST.
  return bucketStart(start + 36 * 3_600_000, 'day', timeZone);
}

/** Every bucket start in the range, oldest first. */
export function bucketStarts(range: BucketedWindow): number[] {
  const starts: number[] = [];
  const end = range.to.getTime();
  for (let start = bucketStart(range.from.getTime(), range.bucket, range.timeZone); start < end;) {
    starts.push(start);
    start = nextBucket(start, range.bucket, range.timeZone);
    if (starts.length > 10_000) break;
  }
  return starts;
}
