import { formatInstant } from '../format';
import type { TimeRange } from '../request/range';

const PRESET_NAMES: Record<Exclude<TimeRange['preset'], 'custom'>, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

/** The range as a report prints it, e.g. "Last 30 days: 23 Oct 2026, 10:00 – 22 Nov 2026, 10:00". */
export function describeRange(range: Pick<TimeRange, 'from' | 'to' | 'preset' | 'timeZone'>): string {
  const span = `${formatInstant(range.from, range.timeZone)} – ${formatInstant(range.to, range.timeZone)}`;
  return range.preset === 'custom' ? span : `${PRESET_NAMES[range.preset]}: ${span}`;
}
