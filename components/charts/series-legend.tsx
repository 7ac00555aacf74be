'use client';

/** One legend entry: its series' key, name and colour on the page's theme. */
export interface LegendEntry {
  key: string;
  label: string;
  color: string;
}

/**
 * A chart's legend as toggle buttons: click (or Enter) hides a series and shows it again. Hidden
 * series keep their entry, struck through, so the way back is where it was.
 */
export function SeriesLegend({
  entries,
  hidden,
  toggle,
}: {
  entries: readonly LegendEntry[];
  hidden: ReadonlySet<string>;
  toggle: (key: string) => void;
}) {
  return (
    <ul className="mt-1 flex flex-wrap justify-center gap-x-3 gap-y-1 text-xs" aria-label="Series">
      {entries.map((entry) => {
        const off = hidden.has(entry.key);
        return (
          <li key={entry.key}>
            <button
              type="button"
              aria-pressed={!off}
              title={off ? `Show ${entry.label}` : `Hide ${entry.label}`}
              onClick={() => toggle(entry.key)}
              className={`flex items-center gap-1 rounded px-1 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800 ${off ? 'line-through opacity-70' : ''}`}
            >
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 rounded-sm"
                style={{ background: off ? 'transparent' : entry.color, border: `2px solid ${entry.color}` }}
              />
              {entry.label}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
