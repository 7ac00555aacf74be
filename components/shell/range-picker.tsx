'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { firstValues } from '@/lib/request/links';
import { parseRange, RANGE_PRESETS } from '@/lib/request/range';
import { useMounted } from '../charts/use-mounted';

const PRESETS = Object.keys(RANGE_PRESETS);
const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The custom fields, started from the range the URL shows; remounted whenever the URL changes. */
function CustomRange({ from, to, apply }: { from: string; to: string; apply: (from: string, to: string) => void }) {
  const [custom, setCustom] = useState({ from: from.slice(0, 16), to: to.slice(0, 16) });
  const field = 'rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700';
  return (
    <form
      className="flex flex-wrap items-center gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        apply(`${custom.from}Z`, `${custom.to}Z`);
      }}
    >
      <label className="sr-only" htmlFor="range-from">
        From (UTC)
      </label>
      <input
        id="range-from"
        type="datetime-local"
        value={custom.from}
        onChange={(e) => setCustom({ ...custom, from: e.target.value })}
        className={field}
      />
      <span aria-hidden>–</span>
      <label className="sr-only" htmlFor="range-to">
        To (UTC)
      </label>
      <input
        id="range-to"
        type="datetime-local"
        value={custom.to}
        onChange={(e) => setCustom({ ...custom, to: e.target.value })}
        className={field}
      />
      <button type="submit" className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700">
        Apply
      </button>
    </form>
  );
}

/** Time range and time zone, kept in the URL so every view is a shareable link. */
export function RangePicker({ renderedAt }: { renderedAt: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The server's clock until hydration is over (so both draw the same fields), the browser's after.
  const now = useMounted() ? new Date() : new Date(renderedAt);
  const range = parseRange(firstValues(params), now);
  const go = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    next.delete('cursor');
    next.delete('before');
    router.push(`${pathname}?${next.toString()}`);
  };
  const zones = ZONES.includes(range.timeZone) ? ZONES : [range.timeZone, ...ZONES];
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="range-picker">
      <div
        className="flex overflow-hidden rounded border border-slate-300 dark:border-slate-700"
        role="group"
        aria-label="Time range"
      >
        {PRESETS.map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={range.preset === name}
            onClick={() => go({ range: name, from: null, to: null })}
            className={`px-2 py-1 ${range.preset === name ? 'bg-teal-700 text-white' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
          >
            {name}
          </button>
        ))}
      </div>
      <CustomRange
        key={params.toString()}
        from={range.from.toISOString()}
        to={range.to.toISOString()}
        apply={(from, to) => go({ range: null, from, to })}
      />
      <label className="flex items-center gap-1">
        <span className="text-slate-600 dark:text-slate-400">Time zone</span>
        <select
          value={range.timeZone}
          onChange={(e) => go({ tz: e.target.value === 'UTC' ? null : e.target.value })}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
