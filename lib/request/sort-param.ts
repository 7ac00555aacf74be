import type { TimeOrder } from '../read/time-cursor';

/**
 * `?sort=` for the tables ordered by time (ingest runs, the audit trail): newest first by default,
 * `time_asc` for oldest first, as on the query log. Anything else is the default.
 */
export function timeOrderParam(params: Record<string, string>): TimeOrder {
  return params.sort === 'time_asc' ? 'oldest' : 'newest';
}

/** The URL parameter that keeps an order (nothing for the default). */
export function timeOrderParams(order: TimeOrder): Record<string, string> {
  return order === 'oldest' ? { sort: 'time_asc' } : {};
}

/** The users table sorts by identifier, A–Z by default, `user_desc` for Z–A. */
export type NameOrder = 'asc' | 'desc';

export function nameOrderParam(params: Record<string, string>): NameOrder {
  return params.sort === 'user_desc' ? 'desc' : 'asc';
}

/** How a header shows the order it sorts by, and the sort its click asks for (null: the default). */
export interface ColumnSort {
  direction: 'ascending' | 'descending';
  /** The `sort` value of the other order (null when the other order is the default). */
  other: string | null;
}

export function timeColumnSort(order: TimeOrder): ColumnSort {
  return order === 'newest' ? { direction: 'descending', other: 'time_asc' } : { direction: 'ascending', other: null };
}

export function nameColumnSort(order: NameOrder): ColumnSort {
  return order === 'asc' ? { direction: 'ascending', other: 'user_desc' } : { direction: 'descending', other: null };
}
