/** Where a dataset's export is, with the filters the page shows (`query` keeps project, range and filters). */
export function exportHref(dataset: string, query: string, format: 'csv' | 'json'): string {
  return `/api/export/${dataset}${query}${query ? '&' : '?'}format=${format}`;
}

/** Download links for a dataset with the filters the page shows. */
export function ExportLinks({ dataset, query, label }: { dataset: string; query: string; label: string }) {
  return (
    <p className="text-xs text-slate-600 report:hidden dark:text-slate-400" data-testid={`export-${dataset}`}>
      {label}:{' '}
      <a href={exportHref(dataset, query, 'csv')} className="text-teal-700 underline dark:text-teal-400" download>
        CSV
      </a>{' '}
      ·{' '}
      <a href={exportHref(dataset, query, 'json')} className="text-teal-700 underline dark:text-teal-400" download>
        JSON
      </a>
    </p>
  );
}
