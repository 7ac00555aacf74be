import { rowsShownText } from '@/lib/format';
import { exportHref } from './export-links';

/**
 * Under a table that shows fewer rows than exist: how many of how many, and the export that has
 * them all. On paper a link cannot be followed, so the report view prints the export's address
 * too (on the same dashboard it gives the same rows).
 */
export function RowsShown({
  shown,
  total,
  capped = false,
  dataset,
  query,
  testId,
  reportOnly = false,
}: {
  shown: number;
  total: number;
  capped?: boolean;
  dataset: string;
  /** The page's query (project, range, filters), so the export holds the rows this table is cut from. */
  query: string;
  testId: string;
  /** A paged table says where it is and how many there are in its pager: on screen this line would repeat it. */
  reportOnly?: boolean;
}) {
  const text = rowsShownText(shown, total, capped);
  if (!text) return null;
  const csv = exportHref(dataset, query, 'csv');
  return (
    <p
      className={`mt-2 text-xs text-slate-600 dark:text-slate-400 ${reportOnly ? 'hidden report:block' : ''}`}
      data-testid={testId}
      data-shown={shown}
      data-total={total}
    >
      {text} — the full list:{' '}
      <a href={csv} className="text-teal-700 underline dark:text-teal-400" download>
        the {dataset} export (CSV)
      </a>
      <span className="hidden break-all report:inline"> at {csv}</span>
    </p>
  );
}
