/**
 * Paging back with forward-only keyset cursors: the rows preceding the current page, nearest
 * first, are read with the cursor's condition turned around; the page before starts after the
 * row `size` places back, so "previous" is an ordinary cursor (null: the first page).
 */
export type PreviousPage = { cursor: string | null } | null;

export function previousPage<Row>(preceding: readonly Row[], size: number, format: (row: Row) => string): PreviousPage {
  if (preceding.length === 0) return null;
  const before = preceding[size];
  return { cursor: before === undefined ? null : format(before) };
}
