/** Query-log filters as they come from the URL, validated into what the SQL needs (pure, unit-tested). */
export const QUERY_SORTS = ['time_desc', 'time_asc', 'latency_desc'] as const;
export type QuerySort = (typeof QUERY_SORTS)[number];
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

export interface QueryLogFilters {
  tool: string | null;
  status: 'ok' | 'error' | null;
  minLatency: number | null;
  maxLatency: number | null;
  zeroResults: boolean;
  user: string | null;
  session: string | null;
  text: string | null;
  sort: QuerySort;
  pageSize: number;
  cursor: { key: string; id: number } | null;
}

function text(value: string | undefined, max = 200): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
}

function number(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

export function parseQueryLogFilters(params: Record<string, string>): QueryLogFilters {
  const sort = QUERY_SORTS.find((value) => value === params.sort) ?? 'time_desc';
  const size = Number(params.size);
  const cursorMatch = params.cursor ? /^(.+)\|(\d+)$/.exec(params.cursor) : null;
  return {
    tool: text(params.tool, 100),
    status: params.status === 'ok' || params.status === 'error' ? params.status : null,
    minLatency: number(params.min_ms),
    maxLatency: number(params.max_ms),
    zeroResults: params.zero === '1',
    user: text(params.user),
    session: text(params.session),
    text: text(params.q),
    sort,
    pageSize: Number.isInteger(size) && size >= 1 ? Math.min(MAX_PAGE_SIZE, size) : DEFAULT_PAGE_SIZE,
    cursor: cursorMatch?.[1] && cursorMatch[2] ? { key: cursorMatch[1], id: Number(cursorMatch[2]) } : null,
  };
}

/** The URL parameters that reproduce the filters (without the cursor). */
export function filterParams(filters: QueryLogFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.tool) out.tool = filters.tool;
  if (filters.status) out.status = filters.status;
  if (filters.minLatency !== null) out.min_ms = String(filters.minLatency);
  if (filters.maxLatency !== null) out.max_ms = String(filters.maxLatency);
  if (filters.zeroResults) out.zero = '1';
  if (filters.user) out.user = filters.user;
  if (filters.session) out.session = filters.session;
  if (filters.text) out.q = filters.text;
  if (filters.sort !== 'time_desc') out.sort = filters.sort;
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) out.size = String(filters.pageSize);
  return out;
}
