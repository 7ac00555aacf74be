import { hasTable } from '../store/open-readonly';
import { readModel } from './read-model';
import { previousPage, type PreviousPage } from './paging';
import { formatTimeCursor, timeCursorClause, timeCursorParams, type TimeCursor, type TimeOrder } from './time-cursor';
import type { ReadDB } from '../store/read-db';
import { tsBounds, type TimeWindow } from './window';

export const INGEST_RUN_STATUSES = ['ok', 'skipped', 'failed'] as const;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];

export type IngestRun = {
  id: number;
  ts: string;
  path: string;
  status: IngestRunStatus;
  change: string;
  reason: string | null;
  chunks_added: number;
  chunks_removed: number;
  entities_added: number;
  relations_added: number;
  duration_ms: number;
  source: string;
};

export interface IngestRunPage {
  runs: IngestRun[];
  /** Pass as `before` for the next (older) page ("ts|id"); null on the last page. */
  nextCursor: string | null;
  previous: PreviousPage;
  /** Runs in the range with these filters, whatever the page, counted up to COUNT_CAP. */
  count: number;
  countCapped: boolean;
}

/** Where a count stops: a table can say "of 10,000+" without reading every row of a long range. */
export const COUNT_CAP = 10_000;

export interface IngestRunsArgs {
  status: IngestRunStatus | null;
  /** Only the runs made for this user (and memory). */
  user: string | null;
  memory: string | null;
  /** The (ts, id) of the last row shown, from the previous page. */
  before: TimeCursor | null;
  /** Newest first unless the table is sorted the other way. */
  order: TimeOrder;
  limit: number;
}

export const INGEST_RUN_COLUMNS = [
  'id',
  'ts',
  'path',
  'status',
  'change',
  'reason',
  'chunks_added',
  'chunks_removed',
  'entities_added',
  'relations_added',
  'duration_ms',
  'source',
] as const;

/**
 * Ingest runs in the window, newest (or oldest) first, keyset-paginated by (ts, id); `status` narrows to one
 * status. The page and its export read the same rows.
 */
export function ingestRunRows(
  db: ReadDB,
  project: string,
  window: TimeWindow,
  args: IngestRunsArgs,
  direction: 'on' | 'back' = 'on',
): IngestRun[] {
  if (!hasTable(db, 'ingest_runs')) return [];
  const { from, to } = tsBounds(window);
  return db
    .prepare<
      {
        project: string;
        from: string;
        to: string;
        status: string | null;
        user: string | null;
        memory: string | null;
        beforeTs: string | null;
        beforeId: number;
        limit: number;
      },
      IngestRun
    >(
      `SELECT ${INGEST_RUN_COLUMNS.join(', ')}
       FROM ingest_runs WHERE project = @project AND ts >= @from AND ts < @to
         AND (@status IS NULL OR status = @status)
         AND (@user IS NULL OR user_id = @user) AND (@memory IS NULL OR memory_id = @memory)
         AND ${timeCursorClause(direction, args.order)} LIMIT @limit`,
    )
    .all({
      project,
      from,
      to,
      status: args.status,
      user: args.user,
      memory: args.memory,
      ...timeCursorParams(args.before),
      limit: args.limit,
    });
}

/** The runs the filters match in the window, up to one past the cap (so that "more than" is known). */
function countRuns(db: ReadDB, project: string, window: TimeWindow, args: IngestRunsArgs): number {
  if (!hasTable(db, 'ingest_runs')) return 0;
  const { from, to } = tsBounds(window);
  const row = db
    .prepare<
      { project: string; from: string; to: string; status: string | null; user: string | null; memory: string | null },
      { n: number }
    >(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ingest_runs WHERE project = @project AND ts >= @from AND ts < @to
         AND (@status IS NULL OR status = @status)
         AND (@user IS NULL OR user_id = @user) AND (@memory IS NULL OR memory_id = @memory)
       LIMIT ${COUNT_CAP + 1})`,
    )
    .get({ project, from, to, status: args.status, user: args.user, memory: args.memory });
  return row?.n ?? 0;
}

export const MAX_ROWS_PER_PAGE = 1000;

/** One page of the ingest runs, and how many there are in all. */
export const ingestRuns = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, args: IngestRunsArgs): IngestRunPage {
    const limit = Math.max(1, Math.min(MAX_ROWS_PER_PAGE, args.limit));
    const runs = ingestRunRows(metrics.db, scope.project, scope, { ...args, limit: limit + 1 });
    const page = runs.slice(0, limit);
    const last = page[page.length - 1];
    const preceding = args.before ? ingestRunRows(metrics.db, scope.project, scope, { ...args, limit: limit + 1 }, 'back') : [];
    const count = countRuns(metrics.db, scope.project, scope, args);
    return {
      runs: page,
      nextCursor: runs.length > limit && last ? formatTimeCursor(last) : null,
      previous: previousPage(preceding, limit, formatTimeCursor),
      count: Math.min(count, COUNT_CAP),
      countCapped: count > COUNT_CAP,
    };
  },
});
