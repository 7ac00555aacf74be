import { hasTable } from '../store/open-readonly';
import type { ReadDB } from '../store/read-db';
import { readModel } from './read-model';
import { previousPage, type PreviousPage } from './paging';
import { formatTimeCursor, timeCursorClause, timeCursorParams, type TimeCursor, type TimeOrder } from './time-cursor';
import { sensitiveOrNull, type Sensitive } from './sensitive';
import { tsBounds, type TimeWindow } from './window';

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;

/** The audit trail's filters, validated (lib/request reads them from the URL). */
export interface AuditFilters {
  actor: string | null;
  action: string | null;
  result: (typeof AUDIT_RESULTS)[number] | null;
  /** The (ts, id) of the last row shown: the next page starts after it. */
  before: TimeCursor | null;
  /** Newest first unless the table is sorted the other way. */
  order: TimeOrder;
  pageSize: number;
}

export interface StoredAuditRow {
  id: number;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  reason: string | null;
  key_prefix: string | null;
  end_user: string | null;
}

export type AuditRow = Omit<StoredAuditRow, 'end_user'> & { end_user: Sensitive | null };

export const AUDIT_COLUMNS = ['id', 'ts', 'actor', 'action', 'target', 'result', 'reason', 'key_prefix', 'end_user'] as const;
export const AUDIT_COUNT_CAP = 10_000;

export function asAuditRow(row: StoredAuditRow): AuditRow {
  return { ...row, end_user: sensitiveOrNull(row.end_user) };
}

/** Rows of the trail in the window with the filters, newest (or oldest) first, from the cursor on. */
export function auditRows(
  db: ReadDB,
  project: string,
  window: TimeWindow,
  filters: AuditFilters,
  limit: number,
  direction: 'on' | 'back' = 'on',
): StoredAuditRow[] {
  if (!hasTable(db, 'audit_log')) return [];
  const { from, to } = tsBounds(window);
  return db
    .prepare<Record<string, string | number | null>, StoredAuditRow>(
      `SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit_log WHERE project = @project AND ts >= @from AND ts < @to
         AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action) AND (@result IS NULL OR result = @result)
         AND ${timeCursorClause(direction, filters.order)} LIMIT @limit`,
    )
    .all({
      project,
      from,
      to,
      actor: filters.actor,
      action: filters.action,
      result: filters.result,
      ...timeCursorParams(filters.before),
      limit,
    });
}

export interface AuditPage {
  rows: AuditRow[];
  nextCursor: string | null;
  previous: PreviousPage;
  count: number;
  countCapped: boolean;
  /** The actors and actions of the window, for the filter menus (a handful). */
  actors: string[];
  actions: string[];
}

/** One page of the audit trail: who did what to what, and how it ended. */
export const auditLog = readModel({
  needs: ['metrics'],
  read({ metrics }, scope, filters: AuditFilters): AuditPage | null {
    const { db } = metrics;
    if (!hasTable(db, 'audit_log')) return null;
    const size = Math.max(1, Math.min(1000, filters.pageSize));
    const rows = auditRows(db, scope.project, scope, filters, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const { from, to } = tsBounds(scope);
    const count =
      db
        .prepare<Record<string, string | null>, { n: number }>(
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_log WHERE project = @project AND ts >= @from AND ts < @to
             AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action) AND (@result IS NULL OR result = @result)
             LIMIT ${AUDIT_COUNT_CAP + 1})`,
        )
        .get({ project: scope.project, from, to, actor: filters.actor, action: filters.action, result: filters.result })?.n ?? 0;
    const distinct = (column: 'actor' | 'action'): string[] =>
      db
        .prepare<[string, string, string], { value: string }>(
          `SELECT DISTINCT ${column} AS value FROM audit_log WHERE project = ? AND ts >= ? AND ts < ? ORDER BY value LIMIT 100`,
        )
        .all(scope.project, from, to)
        .map((row) => row.value);
    return {
      rows: page.map(asAuditRow),
      nextCursor: rows.length > size && last ? formatTimeCursor(last) : null,
      previous: previousPage(
        filters.before ? auditRows(db, scope.project, scope, filters, size + 1, 'back') : [],
        size,
        formatTimeCursor,
      ),
      count: Math.min(count, AUDIT_COUNT_CAP),
      countCapped: count > AUDIT_COUNT_CAP,
      actors: distinct('actor'),
      actions: distinct('action'),
    };
  },
});
