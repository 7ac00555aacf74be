import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';
import type { TimeRange } from './range';
import { tsBounds } from './sql-time';

export interface IngestRun {
  id: number;
  ts: string;
  path: string;
  status: 'ok' | 'skipped' | 'failed';
  change: string;
  reason: string | null;
  chunks_added: number;
  chunks_removed: number;
  entities_added: number;
  relations_added: number;
  duration_ms: number;
  source: string;
}

export interface IngestRunPage {
  runs: IngestRun[];
  /** Pass as `before` for the next (older) page ("ts|id"); null on the last page. */
  nextCursor: string | null;
}

/** Keyset cursor: the (ts, id) of the last row shown. Anything malformed starts from the newest row. */
export function parseRunCursor(value: string | undefined): { ts: string; id: number } | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00)\|(\d+)$/.exec(value) : null;
  return match?.[1] && match[2] ? { ts: match[1], id: Number(match[2]) } : null;
}

export const INGEST_RUN_STATUSES = ['ok', 'skipped', 'failed'] as const;

/** Recent ingest runs, newest first, keyset-paginated by id; `status` narrows to one status. */
export function ingestRuns(
  db: DB,
  project: string,
  range: TimeRange,
  options: { status?: string; before?: string; limit: number },
): IngestRunPage {
  if (!hasTable(db, 'ingest_runs')) return { runs: [], nextCursor: null };
  const limit = Math.max(1, Math.min(1000, options.limit));
  const status = INGEST_RUN_STATUSES.find((value) => value === options.status) ?? null;
  const { from, to } = tsBounds(range);
  const cursor = parseRunCursor(options.before);
  const runs = db
    .prepare<
      {
        project: string;
        from: string;
        to: string;
        status: string | null;
        beforeTs: string | null;
        beforeId: number;
        limit: number;
      },
      IngestRun
    >(
      `SELECT id, ts, path, status, change, reason, chunks_added, chunks_removed, entities_added, relations_added, duration_ms, source
       FROM ingest_runs WHERE project = @project AND ts >= @from AND ts < @to
         AND (@status IS NULL OR status = @status)
         AND (@beforeTs IS NULL OR ts < @beforeTs OR (ts = @beforeTs AND id < @beforeId))
       ORDER BY ts DESC, id DESC LIMIT @limit`,
    )
    .all({ project, from, to, status, beforeTs: cursor?.ts ?? null, beforeId: cursor?.id ?? 0, limit: limit + 1 });
  const page = runs.slice(0, limit);
  const last = page[page.length - 1];
  return { runs: page, nextCursor: runs.length > limit && last ? `${last.ts}|${last.id}` : null };
}
