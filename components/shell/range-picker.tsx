'use client';

import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { RANGE_PRESETS } from '@/lib/request/range';
import { formatRangeField, parseRangeField, RANGE_FIELD_EXAMPLE } from '@/lib/request/range-fields';
import { RefreshChoice } from './auto-refresh';
import { useRangeNavigation } from './use-range-navigation';

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
const FIELD = 'rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700';
const BUTTON = 'rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

/**
 * The custom From/To fields, in the page's date format and time zone. Remounted whenever the URL
 * changes (its key), so after a preset or a move they show the range the page shows.
 */
function CustomRange({
  from,
  to,
  timeZone,
  apply,
}: {
  from: Date;
  to: Date;
  timeZone: string;
  apply: (from: Date, to: Date) => void;
}) {
  const [fields, setFields] = useState({ from: formatRangeField(from, timeZone), to: formatRangeField(to, timeZone) });
  const [problem, setProblem] = useState<string | null>(null);
  const zone = timeZone === 'UTC' ? 'UTC' : timeZone.replace(/_/g, ' ');
  return (
    <form
      className="flex flex-wrap items-center gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        const start = parseRangeField(fields.from, timeZone);
        const end = parseRangeField(fields.to, timeZone);
        if (!start || !end) setProblem(`Write dates as ${RANGE_FIELD_EXAMPLE}`);
        else if (start >= end) setProblem('The range must start before it ends');
        else apply(start, end);
      }}
    >
      <label className="sr-only" htmlFor="range-from">
        From ({zone})
      </label>
      <input
        id="range-from"
        value={fields.from}
        size={17}
        placeholder={RANGE_FIELD_EXAMPLE}
        onChange={(e) => setFields({ ...fields, from: e.target.value })}
        className={FIELD}
      />
      <span aria-hidden>–</span>
      <label className="sr-only" htmlFor="range-to">
        To ({zone})
      </label>
      <input
        id="range-to"
        value={fields.to}
        size={17}
        placeholder={RANGE_FIELD_EXAMPLE}
        onChange={(e) => setFields({ ...fields, to: e.target.value })}
        className={FIELD}
      />
      <button type="submit" className={BUTTON}>
        Apply
      </button>
      {problem && (
        <span role="alert" className="w-full text-xs text-red-700 dark:text-red-400">
          {problem}
        </span>
      )}
    </form>
  );
}

/** Time range, time zone and auto-refresh, kept in the URL so every view is a shareable link. */
export function RangePicker({ renderedAt }: { renderedAt: string }) {
  const { range, go, shift, zoomOut } = useRangeNavigation(renderedAt);
  const params = useSearchParams().toString();
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
      <div className="flex gap-1" role="group" aria-label="Move the range">
        <button type="button" className={BUTTON} onClick={() => shift(-1)} title="Earlier (t ←)" aria-label="Earlier">
          ←
        </button>
        <button type="button" className={BUTTON} onClick={() => zoomOut()} title="Zoom out (t z)" aria-label="Zoom out">
          −
        </button>
        <button type="button" className={BUTTON} onClick={() => shift(1)} title="Later (t →)" aria-label="Later">
          →
        </button>
      </div>
      <CustomRange
        key={params}
        from={range.from}
        to={range.to}
        timeZone={range.timeZone}
        apply={(from, to) => go({ range: null, from: from.toISOString(), to: to.toISOString() })}
      />
      <label className="flex items-center gap-1">
        <span className="text-slate-600 dark:text-slate-400">Time zone</span>
        <select
          value={range.timeZone}
          onChange={(e) => go({ tz: e.target.value === 'UTC' ? null : e.target.value })}
          className={FIELD}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </label>
      <RefreshChoice />
    </div>
  );
}
