'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';

const PRESETS = ['1h', '24h', '7d', '30d', '90d'];
const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** Time range and time zone, kept in the URL so every view is a shareable link. */
export function RangePicker({ preset, timeZone, from, to }: { preset: string; timeZone: string; from: string; to: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [custom, setCustom] = useState({ from: from.slice(0, 16), to: to.slice(0, 16) });
  const go = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    next.delete('cursor');
    router.push(`${pathname}?${next.toString()}`);
  };
  const zones = ZONES.includes(timeZone) ? ZONES : [timeZone, ...ZONES];
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
            aria-pressed={preset === name}
            onClick={() => go({ range: name, from: null, to: null })}
            className={`px-2 py-1 ${preset === name ? 'bg-teal-700 text-white' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
          >
            {name}
          </button>
        ))}
      </div>
      <form
        className="flex items-center gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          go({ range: null, from: `${custom.from}Z`, to: `${custom.to}Z` });
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
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
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
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
        />
        <button
          type="submit"
          className={`rounded border px-2 py-0.5 ${preset === 'custom' ? 'border-teal-700' : 'border-slate-300 dark:border-slate-700'}`}
        >
          Apply
        </button>
      </form>
      <label className="flex items-center gap-1">
        <span className="text-slate-600 dark:text-slate-400">Time zone</span>
        <select
          value={timeZone}
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
