import { notFound } from 'next/navigation';
import { requireViewer } from '../auth/current-viewer';
import { seesContent } from '../auth/redaction';
import { loadConfig } from '../config';
import { firstValues, type SearchParams } from './links';
import type { ReadResult } from './read-result';
import { withVisibleControls } from './display-text';
import { readerFor, type Reader } from './reader';
import { requestContext, type RequestContext } from './request-context';

/** A page's request: its context and its one way to read. */
export interface DashboardPage {
  context: RequestContext;
  read: Reader;
  /** For `?view=report`: the newest event up to the range's end, for the report's "data as of". */
  reportAsOf: ReadResult<string | null> | null;
}

/** A page shows read data with control characters made visible (exports keep the stored text). */
function displayReader(read: Reader): Reader {
  return async (name, ...args) => {
    const result = await read(name, ...args);
    return result.ok ? { ok: true, data: withVisibleControls(result.data) } : result;
  };
}

/**
 * "Now" for a page: the next whole second, so that the pages asked within one second read the same
 * window and can share their reads (read-reuse.ts). Nothing is recorded after the present, so the
 * window holds every row there is when it is read.
 */
function pageNow(): Date {
  return new Date(Math.ceil(Date.now() / 1000) * 1000);
}

/**
 * The request path of every page: the viewer the server decided (no viewer, no page), the context
 * from the URL (project, range, time zone, role) and a reader that scopes, budgets and redacts
 * every read. A page reads nothing any other way.
 */
export async function dashboardPage(
  searchParams: Promise<SearchParams>,
  options: { adminOnly?: boolean } = {},
): Promise<DashboardPage> {
  const viewer = await requireViewer();
  // The gate already answered 403 for an admin-only page; a viewer who still gets here sees nothing.
  if (options.adminOnly && !seesContent(viewer.role)) notFound();
  const config = loadConfig();
  const context = requestContext(
    firstValues(await searchParams),
    viewer,
    { tenant: config.tenant, projects: config.dashboardProjects },
    pageNow(),
  );
  const read = displayReader(readerFor(config, context.scope, viewer.role, { shared: true }));
  return { context, read, reportAsOf: context.report ? await read('dataAsOf') : null };
}
