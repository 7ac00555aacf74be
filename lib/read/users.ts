import { hasTable } from '../store/open-readonly';
import { previousPage } from './paging';
import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';
import { tsBounds } from './window';

export interface UserRow {
  identifier: Sensitive;
  created_at: string;
  last_seen_at: string;
  /** Calls and searches made for the user in the window, from the per-user rollups. */
  calls: number;
  searches: number;
  /** Memories (their documents' memory ids) and preferences in force now. */
  memories: number;
  preferences: number;
}

export interface UserList {
  rows: UserRow[];
  total: number;
  /** The last identifier shown, for the next page (admins only: it is an identifier). */
  nextAfter: Sensitive | null;
  /** Where the page before starts (admins only, like nextAfter). */
  previous: { after: Sensitive | null } | null;
}

export const USERS_PER_PAGE = 100;

/** The SQL comparison and order of a page after `after` in the given order, or of the rows back from it. */
function orderSql(order: 'asc' | 'desc', direction: 'on' | 'back'): { op: string; sort: string } {
  const ascending = (order === 'asc') === (direction === 'on');
  const op = direction === 'on' ? (order === 'asc' ? '>' : '<') : order === 'asc' ? '<=' : '>=';
  return { op, sort: ascending ? 'ASC' : 'DESC' };
}

/** The project's users by identifier (A–Z or Z–A), a page at a time, with what they did in the window. */
export const userList = readModel({
  needs: ['graph'],
  optional: ['metrics'],
  read({ graph, metrics }, scope, args: { after: string | null; order: 'asc' | 'desc' }): UserList {
    const on = orderSql(args.order, 'on');
    const users = graph.db
      .prepare<
        { project: string; after: string | null; limit: number; now: string },
        { identifier: string; created_at: string; last_seen_at: string; memories: number; preferences: number }
      >(
        `SELECT u.identifier, u.created_at, u.last_seen_at,
           (SELECT COUNT(DISTINCT d.memory_id) FROM documents d WHERE d.project = u.project AND d.user_id = u.identifier) AS memories,
           (SELECT COUNT(*) FROM preferences p WHERE p.project = u.project AND p.user_id = u.identifier
              AND (p.valid_until IS NULL OR p.valid_until > @now)) AS preferences
         FROM users u WHERE u.project = @project AND (@after IS NULL OR u.identifier ${on.op} @after)
         ORDER BY u.identifier ${on.sort} LIMIT @limit`,
      )
      .all({ project: scope.project, after: args.after, limit: USERS_PER_PAGE + 1, now: tsBounds(scope).to });
    const total =
      graph.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM users WHERE project = ?').get(scope.project)?.n ?? 0;
    const page = users.slice(0, USERS_PER_PAGE);
    const activity = new Map<string, { calls: number; searches: number }>();
    if (metrics && hasTable(metrics.db, 'user_rollup_daily') && page.length > 0) {
      const { from, to } = tsBounds(scope);
      const rows = metrics.db
        .prepare<unknown[], { user_id: string; calls: number; searches: number }>(
          `SELECT user_id, SUM(calls) AS calls, SUM(searches) AS searches FROM user_rollup_daily
           WHERE project = ? AND day >= ? AND day <= ? AND user_id IN (${page.map(() => '?').join(',')}) GROUP BY user_id`,
        )
        .all(scope.project, from.slice(0, 10), to.slice(0, 10), ...page.map((user) => user.identifier));
      for (const row of rows) activity.set(row.user_id, row);
    }
    const last = page[page.length - 1];
    const back = orderSql(args.order, 'back');
    const preceding = args.after
      ? graph.db
          .prepare<[string, string, number], { identifier: string }>(
            `SELECT identifier FROM users WHERE project = ? AND identifier ${back.op} ? ORDER BY identifier ${back.sort} LIMIT ?`,
          )
          .all(scope.project, args.after, USERS_PER_PAGE + 1)
      : [];
    const previous = previousPage(preceding, USERS_PER_PAGE, (user) => user.identifier);
    return {
      rows: page.map((user) => ({
        ...user,
        identifier: sensitive(user.identifier),
        calls: activity.get(user.identifier)?.calls ?? 0,
        searches: activity.get(user.identifier)?.searches ?? 0,
      })),
      total,
      nextAfter: users.length > USERS_PER_PAGE && last ? sensitive(last.identifier) : null,
      previous: previous && { after: previous.cursor === null ? null : sensitive(previous.cursor) },
    };
  },
});
