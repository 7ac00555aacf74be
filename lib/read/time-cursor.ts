/**
 * Keyset paging over rows ordered newest first by (ts, id): the cursor is the last row shown, as
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

/** The WHERE condition for rows after the cursor, with `timeCursorParams` bound. */
export const AFTER_TIME_CURSOR = '(@beforeTs IS NULL OR ts < @beforeTs OR (ts = @beforeTs AND id < @beforeId))';

/**
 * The cursor condition and order for reading on from the cursor (newest first), or back over the
 * rows before it (the cursor's own row and newer, oldest first) for the way to the page before.
 */
export function timeCursorClause(direction: 'on' | 'back'): string {
  return direction === 'on'
    ? `${AFTER_TIME_CURSOR} ORDER BY ts DESC, id DESC`
    : '(ts > @beforeTs OR (ts = @beforeTs AND id >= @beforeId)) ORDER BY ts ASC, id ASC';
}

export function timeCursorParams(cursor: TimeCursor | null): { beforeTs: string | null; beforeId: number } {
  return { beforeTs: cursor?.ts ?? null, beforeId: cursor?.id ?? 0 };
}
