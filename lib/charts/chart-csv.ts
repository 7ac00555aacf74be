import { csvLine, type Cell } from '../exports/csv';

export interface CsvColumn {
  key: string;
  label: string;
}

/** A chart's data as CSV: one row per bucket or category, one column per series (pure, unit-tested). */
export function chartCsv(rows: ReadonlyArray<Record<string, Cell>>, columns: readonly CsvColumn[]): string {
  return [
    csvLine(columns.map((column) => column.label)),
    ...rows.map((row) => csvLine(columns.map((column) => row[column.key] ?? null))),
  ].join('');
}

/** A file name from a chart title: lower case, words joined by hyphens. */
export function chartFileName(title: string, extension: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'chart'}.${extension}`;
}
