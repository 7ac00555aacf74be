/** Download links for a dataset with the filters the page shows (`query` keeps project, range and filters). */
export function ExportLinks({ dataset, query, label }: { dataset: string; query: string; label: string }) {
  const href = (format: string): string => `/api/export/${dataset}${query}${query ? '&' : '?'}format=${format}`;
  return (
    <p className="text-xs text-slate-600 report:hidden dark:text-slate-400" data-testid={`export-${dataset}`}>
      {label}:{' '}
      <a href={href('csv')} className="text-teal-700 underline dark:text-teal-400" download>
        CSV
      </a>{' '}
      ·{' '}
      <a href={href('json')} className="text-teal-700 underline dark:text-teal-400" download>
        JSON
      </a>
    </p>
  );
}
