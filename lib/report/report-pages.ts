import { parseRange, rangeQuery, type TimeRange } from '../request/range';

/** Width of the report view in CSS pixels; `hydramem report` sizes its browser to it. */
export const REPORT_WIDTH = 1200;

/** The pages a report can hold, by the name `--pages` uses. */
export const REPORT_PAGES = {
  overview: '/',
  ingest: '/ingest',
  graph: '/graph',
  queries: '/queries',
  gardener: '/gardener',
} as const;
export type ReportPageName = keyof typeof REPORT_PAGES;
/** The pages a report holds unless `--pages` says otherwise: all of them, the Night Gardener's included. */
export const DEFAULT_REPORT_PAGES = Object.keys(REPORT_PAGES) as readonly ReportPageName[];

/** A report option the user got wrong; the command exits 2 with this message. */
export class ReportOptionError extends Error {}

export function parsePages(text: string): ReportPageName[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !Object.hasOwn(REPORT_PAGES, name));
  if (names.length === 0 || unknown.length > 0) {
    throw new ReportOptionError(
      `--pages takes a comma-separated list of ${Object.keys(REPORT_PAGES).join(', ')}` +
        (unknown.length > 0 ? `; not known: ${unknown.join(', ')}` : ''),
    );
  }
  return [...new Set(names as ReportPageName[])];
}

export interface ReportRangeOptions {
  range?: string;
  from?: string;
  to?: string;
  tz?: string;
}

/**
 * The report's window, fixed once: every page is rendered for the same from/to however long the
 * report takes, and the same options with the same --to always give the same window.
 */
export function reportRange(options: ReportRangeOptions, now: Date): TimeRange {
  if (options.range !== undefined && options.from !== undefined)
    throw new ReportOptionError('give either --range or --from/--to, not both');
  const range = parseRange(options, now);
  // The dashboard falls back and says so ("…, showing 7d"); the command refuses instead, so the fallbacks go.
  if (range.problem) throw new ReportOptionError(range.problem.replace(/, showing [\w/]+|; the range ends now/g, ''));
  return range;
}

/** The report view's URL for a page of the dashboard at `base` (which may have a path prefix). */
export function reportPageUrl(base: string, page: ReportPageName, range: TimeRange, project: string | undefined): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  const url = new URL(REPORT_PAGES[page].slice(1), root);
  const query: Record<string, string> = { view: 'report', ...rangeQuery(range) };
  if (project) query.project = project;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.href;
}
