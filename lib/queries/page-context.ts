import type { Viewer } from '../auth/viewer';
import { loadConfig, type HydraConfig } from '../config';
import { parseRange, type TimeRange } from './range';

export type SearchParams = Record<string, string | string[] | undefined>;

export interface PageContext {
  config: HydraConfig;
  /** The project shown: one of the configured ones, never whatever the URL says. */
  project: string;
  range: TimeRange;
  params: Record<string, string>;
  problems: string[];
  /** Who is looking, as the server decided; decides what is redacted. */
  viewer: Viewer;
  /** `?view=report`: the page as an image for a report (fixed width, light, no controls). */
  report: boolean;
}

export function firstValues(params: SearchParams): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) single[key] = first;
  }
  return single;
}

/** Reads config, the allowed project and the time range for a page request. */
export function pageContext(searchParams: SearchParams, viewer: Viewer, now = new Date()): PageContext {
  const config = loadConfig();
  const params = firstValues(searchParams);
  const problems: string[] = [];
  const [defaultProject = config.project] = config.dashboardProjects;
  let project = defaultProject;
  if (params.project !== undefined) {
    if (config.dashboardProjects.includes(params.project)) project = params.project;
    else problems.push(`project "${params.project}" is not part of this dashboard; showing ${defaultProject}`);
  }
  const range = parseRange(params, now);
  if (range.problem) problems.push(range.problem);
  return { config, project, range, params, problems, viewer, report: params.view === 'report' };
}

/** Query string for links: keeps project, range and time zone, replaces what `changes` names. */
export function linkQuery(params: Record<string, string>, changes: Record<string, string | null> = {}): string {
  const keep = new URLSearchParams();
  for (const key of ['project', 'range', 'from', 'to', 'tz']) if (params[key]) keep.set(key, params[key]);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) keep.delete(key);
    else keep.set(key, value);
  }
  const text = keep.toString();
  return text ? `?${text}` : '';
}
