import { formatInstant } from '@/lib/format';
import type { Revealed } from '@/lib/read/sensitive';
import type { UserDetail } from '@/lib/read/user-detail';
import { parseTimestamp } from '@/lib/store/time';
import { EmptyState } from './panel';

const when = (ts: string, timeZone: string): string => formatInstant(parseTimestamp(ts), timeZone, true);

/**
 * A user's preferences in the order they were made, each with the span it was in force and what
 * replaced it; those in force at the chosen instant are marked.
 */
export function PreferenceTimeline({ user, timeZone }: { user: Revealed<UserDetail>; timeZone: string }) {
  if (user.preferences.length === 0) return <EmptyState>No preferences recorded for this user.</EmptyState>;
  const inForce = new Set(user.inForce);
  return (
    <ol className="space-y-2 text-sm" data-testid="preference-timeline">
      {user.preferences.map((preference) => {
        const active = inForce.has(preference.id);
        return (
          <li
            key={preference.id}
            data-preference-id={preference.id}
            data-in-force={active ? 'yes' : 'no'}
            className={`rounded border-l-4 p-2 ${active ? 'border-teal-700 bg-teal-50 dark:border-teal-400 dark:bg-teal-950' : 'border-slate-300 dark:border-slate-700'}`}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span>
                <span className="text-slate-600 dark:text-slate-400">{preference.category}:</span>{' '}
                <strong>{preference.text}</strong>
              </span>
              <span className="text-xs font-medium">{active ? 'in force' : 'not in force'} at the chosen time</span>
            </div>
            <div className="text-xs text-slate-600 dark:text-slate-400">
              from {when(preference.valid_from, timeZone)}
              {preference.valid_until ? ` until ${when(preference.valid_until, timeZone)}` : ', still in force'}
              {preference.superseded_by ? ` · superseded by ${preference.superseded_by}` : ''} · <code>{preference.id}</code>
            </div>
            {preference.applies_to.length > 0 && (
              <div className="text-xs">
                applies to {preference.applies_to.map((target) => `${target.name} (${target.type})`).join(', ')}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
