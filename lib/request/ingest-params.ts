import { INGEST_RUN_STATUSES, type IngestRunsArgs } from '../read/ingest-runs';

export const RUNS_PER_PAGE = 50;

/** Keyset cursor: the (ts, id) of the last row shown. Anything malformed starts from the newest row. */
export function parseRunCursor(value: string | undefined): { ts: string; id: number } | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00)\|(\d+)$/.exec(value) : null;
  return match?.[1] && match[2] ? { ts: match[1], id: Number(match[2]) } : null;
}

/** The ingest runs the URL asks for: a status filter (or all) and where the page starts. */
export function ingestRunArgs(params: Record<string, string>): IngestRunsArgs {
  return {
    status: INGEST_RUN_STATUSES.find((value) => value === params.status) ?? null,
    before: parseRunCursor(params.before),
    limit: RUNS_PER_PAGE,
  };
}
