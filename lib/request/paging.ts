import type { PreviousPage } from '../read/paging';

/**
 * A paged table's place in its list, kept in the URL beside the cursor (?at=51: the first row's
 * position), and the URL changes for the pages before and after (pure, unit-tested).
 */
export function pagePosition(at: string | undefined, cursor: string | undefined): number | null {
  if (!cursor) return 1;
  const position = Number(at);
  // An old link with a cursor and no position: the rows are right, their numbers unknown.
  return Number.isInteger(position) && position > 1 ? position : null;
}

export type ParamChanges = Record<string, string | null>;

export interface PagerLinks {
  previous: ParamChanges | null;
  next: ParamChanges | null;
}

export function pagerLinks(
  cursorParam: string,
  position: number | null,
  size: number,
  shown: number,
  previous: PreviousPage,
  nextCursor: string | null,
): PagerLinks {
  const back = (cursor: string | null): ParamChanges => {
    const at = cursor === null ? null : position === null ? null : String(Math.max(2, position - size));
    return { [cursorParam]: cursor, at };
  };
  return {
    previous: previous ? back(previous.cursor) : null,
    next: nextCursor ? { [cursorParam]: nextCursor, at: position === null ? null : String(position + shown) } : null,
  };
}

/** Row numbers in full (10,000, not 10.0k): they are positions, not magnitudes. */
const rowNumber = new Intl.NumberFormat('en-GB');

/** "51–100 of 364", "51–100 of 10,000+", "rows 51–100", or null when nothing is shown or the place is unknown. */
export function positionText(
  position: number | null,
  shown: number,
  total: { count: number; capped: boolean } | null,
): string | null {
  if (position === null || shown === 0) return null;
  const span = `${rowNumber.format(position)}–${rowNumber.format(position + shown - 1)}`;
  if (!total) return `rows ${span}`;
  return `${span} of ${rowNumber.format(total.count)}${total.capped ? '+' : ''}`;
}
