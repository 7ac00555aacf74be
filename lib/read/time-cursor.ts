/**
 * Keyset paging over rows ordered by (ts, id), newest or oldest first: the cursor is the last row shown, as
 * `ts|id` in URLs and export batches. One place for its format, its parsing and its SQL.
 */
export interface TimeCursor {
  ts: string;
  id: number;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00)\|(\d+)$/;

export function formatTimeCursor(row: TimeCursor): string {
  return `${row.ts}|${row.id}`;
}

/** The cursor in a URL or an export batch; anything malformed is null (start from the newest row). */
export function parseTimeCursor(value: string | null | undefined): TimeCursor | null {
  const match = value ? CURSOR.exec(value) : null;
  return match?.[1] && match[2] ? { ts: match[1], id: Number(match[2]) } : null;
}

/** Which end of the list comes first: the newest rows (the default) or the oldest. */
export type TimeOrder = 'newest' | 'oldest';

/**
 * The cursor condition and order for reading on from the cursor in the list's order, or back over
 * the rows before it (the cursor's own row and those nearer the top, nearest first) for the way to
 * the page before.
 */
export function timeCursorClause(direction: 'on' | 'back', order: TimeOrder = 'newest'): string {
  const newestFirst = order === 'newest';
  if (direction === 'on') {
    const [op, sort] = newestFirst ? ['<', 'DESC'] : ['>', 'ASC'];
    return `(@beforeTs IS NULL OR ts ${op} @beforeTs OR (ts = @beforeTs AND id ${op} @beforeId)) ORDER BY ts ${sort}, id ${sort}`;
  }
  const [op, sort] = newestFirst ? ['>', 'ASC'] : ['<', 'DESC'];
  return `(ts ${op} @beforeTs OR (ts = @beforeTs AND id ${op}= @beforeId)) ORDER BY ts ${sort}, id ${sort}`;
}

export function timeCursorParams(cursor: TimeCursor | null): { beforeTs: string | null; beforeId: number } {
  return { beforeTs: cursor?.ts ?? null, beforeId: cursor?.id ?? 0 };
}
