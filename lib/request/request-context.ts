import { seesContent } from '../auth/redaction';
import type { Viewer } from '../auth/viewer';
import { bucketStarts } from '../charts/time-buckets';
import type { ReadScope } from '../read/read-model';
import { chooseProject } from './project';
import { parseRange, type TimeRange } from './range';
import { parseRefresh } from './refresh';

/** What the dashboard needs to know of its configuration to read a request. */
export interface DashboardScope {
  tenant: string;
  /** DASHBOARD_PROJECTS: the projects this dashboard may show; the first is the default. */
  projects: readonly string[];
}

/** One request as every page, route and export sees it, decided on the server. */
export interface RequestContext {
  tenant: string;
  projects: readonly string[];
  /** The project shown: one of the configured ones, never whatever the URL says. */
  project: string;
  range: TimeRange;
  /** The URL's parameters, first value of each. */
  params: Record<string, string>;
  /** What in the URL was not understood, and what is shown instead. */
  notes: string[];
  /** Who is looking, as the server decided; decides what is redacted. */
  viewer: Viewer;
  /** Whether the viewer sees content (query and document text, names, user ids) or its redaction. */
  seesContent: boolean;
  /** `?view=report`: the page as an image for a report (fixed width, light, no controls). */
  report: boolean;
  /** What every read of this request is scoped to. */
  scope: ReadScope;
}

/** Builds a request's context from its URL parameters and viewer (pure: the caller passes "now"). */
export function requestContext(
  params: Record<string, string>,
  viewer: Viewer,
  dashboard: DashboardScope,
  now: Date,
): RequestContext {
  const { project, problem } = chooseProject(params.project, dashboard.projects);
  const range = parseRange(params, now);
  const notes = [problem, range.problem, parseRefresh(params.refresh).problem].filter((note): note is string => note !== null);
  return {
    tenant: dashboard.tenant,
    projects: dashboard.projects,
    project,
    range,
    params,
    notes,
    viewer,
    seesContent: seesContent(viewer.role),
    report: params.view === 'report',
    scope: { project, from: range.from, to: range.to, buckets: bucketStarts(range) },
  };
}
