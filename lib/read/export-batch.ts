import type { Sensitive } from './sensitive';

/** A cell of an exported row: a value, or content only the admin role may see. */
export type ExportCell = string | number | null | Sensitive;

/**
 * One batch of an export: rows in the dataset's column order, and where the next batch starts
 * (null after the last). Each batch is its own short read, so an export never holds a read
 * transaction open while the client downloads.
 */
export interface ExportBatch {
  rows: Array<Record<string, ExportCell>>;
  next: string | null;
}

export interface ExportArgs<Filters> {
  filters: Filters;
  /** Where this batch starts: the previous batch's `next`, or null for the first. */
  cursor: string | null;
  limit: number;
}

/** Rows and the cursor after them: more rows than asked for means there is a next batch. */
export function batchOf<Row>(
  rows: readonly Row[],
  limit: number,
  toCells: (row: Row) => Record<string, ExportCell>,
  cursorOf: (row: Row) => string,
): ExportBatch {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page.map(toCells), next: rows.length > limit && last ? cursorOf(last) : null };
}
