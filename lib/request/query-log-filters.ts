import { MAX_PAGE_SIZE, QUERY_SORTS, type QueryLogFilters } from '../read/query-log';

/** Query-log filters as they come from the URL, validated into what the SQL needs (pure, unit-tested). */
export const DEFAULT_PAGE_SIZE = 50;

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
    memory: text(params.memory),
    session: text(params.session),
    text: text(params.q),
    sort,
    pageSize: Number.isInteger(size) && size >= 1 ? Math.min(MAX_PAGE_SIZE, size) : DEFAULT_PAGE_SIZE,
    cursor: cursorMatch?.[1] && cursorMatch[2] ? { key: cursorMatch[1], id: Number(cursorMatch[2]) } : null,
  };
}

/** Filters on values the viewer may not see are dropped: matching on them would reveal them one guess at a time. */
export function withoutContentFilters(filters: QueryLogFilters): QueryLogFilters {
  return { ...filters, text: null, user: null, memory: null, session: null };
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
  if (filters.memory) out.memory = filters.memory;
  if (filters.session) out.session = filters.session;
  if (filters.text) out.q = filters.text;
  if (filters.sort !== 'time_desc') out.sort = filters.sort;
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) out.size = String(filters.pageSize);
  return out;
}
