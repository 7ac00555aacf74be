import { INGEST_RUN_STATUSES, type IngestRunsArgs } from '../read/ingest-runs';
import { parseTimeCursor } from '../read/time-cursor';
import { timeOrderParam } from './sort-param';
import { userFilter } from './user-filter';

export const RUNS_PER_PAGE = 50;

/** The ingest runs the URL asks for: a status filter (or all), a user and memory, the order and where the page starts. */
export function ingestRunArgs(params: Record<string, string>, seesContent: boolean): IngestRunsArgs {
  return {
    status: INGEST_RUN_STATUSES.find((value) => value === params.status) ?? null,
    ...userFilter(params, seesContent),
    before: parseTimeCursor(params.before),
    order: timeOrderParam(params),
    limit: RUNS_PER_PAGE,
  };
}
