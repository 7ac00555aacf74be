export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of each URL parameter: a repeated parameter never widens what a page shows. */
export function firstValues(params: SearchParams | URLSearchParams): Record<string, string> {
  const single = new Map<string, string>();
  const entries = params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !single.has(key)) single.set(key, first);
  }
  return Object.fromEntries(single);
}

/** The parameters every link keeps: which project, which window, which time zone, how often to refresh. */
const KEPT = ['project', 'range', 'from', 'to', 'tz', 'refresh'] as const;

/** Parameters that name a place in a paged list: a new range or project starts every list at its top. */
export const PAGING_PARAMS = ['cursor', 'before', 'after', 'at'] as const;

/** Query string for links: keeps project, range and time zone, replaces what `changes` names. */
export function linkQuery(params: Record<string, string>, changes: Record<string, string | null> = {}): string {
  const keep = new URLSearchParams();
  for (const key of KEPT) if (params[key]) keep.set(key, params[key]);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) keep.delete(key);
    else keep.set(key, value);
  }
  const text = keep.toString();
  return text ? `?${text}` : '';
}

/** Query string of every parameter as given: a detail page's way back to the list it was opened from. */
export function everyParam(params: Record<string, string>): string {
  const text = new URLSearchParams(params).toString();
  return text ? `?${text}` : '';
}
