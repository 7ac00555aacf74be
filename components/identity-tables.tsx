import Link from 'next/link';
import { formatCount, formatInstant } from '@/lib/format';
import type { ApiKeyRow } from '@/lib/read/api-key-list';
import type { AuditRow } from '@/lib/read/audit-log';
import type { Revealed } from '@/lib/read/sensitive';
import type { UserList } from '@/lib/read/users';
import { parseTimestamp } from '@/lib/store/time';
import { StatusBadge } from './ingest-tables';
import { EmptyState } from './panel';
import { TableHead, type SortableColumn } from './table-head';
import { TD } from './table-styles';
import { TableScroll } from './table-scroll';

const when = (ts: string | null, timeZone: string): string => (ts ? formatInstant(parseTimestamp(ts), timeZone, true) : '–');
const ROW = 'border-t border-slate-100 dark:border-slate-800';
const LINK = 'text-teal-700 hover:underline dark:text-teal-400';

/** The users, each linked to their page for admins (support sees counts, not who). */
export function UsersTable({
  users,
  timeZone,
  query,
  linked,
  sort,
}: {
  users: Revealed<UserList>;
  timeZone: string;
  query: string;
  linked: boolean;
  /** The User column's order and the link to the other (only where identifiers are shown). */
  sort?: SortableColumn;
}) {
  if (users.rows.length === 0)
    return (
      <EmptyState>
        No users yet: a user record is made by <code>upsert_user</code>, <code>hydramem users upsert ID</code>, or the first write
        for a user.
      </EmptyState>
    );
  return (
    <TableScroll label="Users">
      <table className="w-full min-w-[44rem] text-sm" data-testid="users">
        <TableHead
          labels={['User', 'Calls', 'Searches', 'Memories', 'Preferences in force', 'Created', 'Last seen']}
          sortable={{ User: sort }}
        />
        <tbody>
          {users.rows.map((user, index) => (
            <tr key={linked ? user.identifier : index} className={ROW}>
              <td className={`${TD} break-all`}>
                {linked ? (
                  <Link href={`/users/${encodeURIComponent(user.identifier)}${query}`} className={LINK}>
                    {user.identifier}
                  </Link>
                ) : (
                  user.identifier
                )}
              </td>
              <td className={`${TD} tabular-nums`} data-value={user.calls}>
                {formatCount(user.calls)}
              </td>
              <td className={`${TD} tabular-nums`}>{formatCount(user.searches)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(user.memories)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(user.preferences)}</td>
              <td className={`${TD} whitespace-nowrap`}>{when(user.created_at, timeZone)}</td>
              <td className={`${TD} whitespace-nowrap`}>{when(user.last_seen_at, timeZone)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The API keys as `hydramem keys list` shows them. */
export function KeysTable({ keys, timeZone }: { keys: Revealed<ApiKeyRow>[]; timeZone: string }) {
  if (keys.length === 0)
    return (
      <EmptyState>
        No API keys yet: <code>hydramem keys create --env live --scopes memory:read,memory:add</code> on the writer’s host.
      </EmptyState>
    );
  return (
    <TableScroll label="API keys">
      <table className="w-full min-w-[44rem] text-sm" data-testid="api-keys">
        <TableHead labels={['Key', 'Name', 'Environment', 'Scopes', 'User', 'Created', 'Last used', 'State']} />
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} className={ROW} data-key-id={key.id}>
              <td className={TD}>
                <code>{key.prefix}…</code>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{key.id}</span>
              </td>
              <td className={TD}>{key.name ?? ''}</td>
              <td className={TD}>{key.env}</td>
              <td className={TD}>{key.scopes.join(', ')}</td>
              <td className={`${TD} break-all`}>{key.user_id ?? 'service key'}</td>
              <td className={`${TD} whitespace-nowrap`}>{when(key.created_at, timeZone)}</td>
              <td className={`${TD} whitespace-nowrap`}>{when(key.last_used_at, timeZone)}</td>
              <td className={TD}>
                {key.revoked_at ? (
                  <>
                    <StatusBadge status="refused" /> {key.replaced_by ? `rotated to ${key.replaced_by}` : 'revoked'}{' '}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">{when(key.revoked_at, timeZone)}</span>
                  </>
                ) : (
                  <span className="font-medium text-emerald-700 dark:text-emerald-400">active</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The audit trail: when, who, what, on what, how it ended. */
export function AuditTable({ rows, timeZone, sort }: { rows: Revealed<AuditRow>[]; timeZone: string; sort: SortableColumn }) {
  if (rows.length === 0) return <EmptyState>Nothing in the audit trail matches in this range.</EmptyState>;
  return (
    <TableScroll label="Audit trail">
      <table className="w-full min-w-[44rem] text-sm" data-testid="audit-log">
        <TableHead labels={['Time', 'Who', 'End user', 'Action', 'Target', 'Result', 'Reason']} sortable={{ Time: sort }} />
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className={ROW} data-row-id={row.id}>
              <td className={`${TD} whitespace-nowrap`}>{when(row.ts, timeZone)}</td>
              <td className={`${TD} break-all`}>{row.actor}</td>
              <td className={`${TD} break-all`}>{row.end_user ?? '–'}</td>
              <td className={TD}>{row.action}</td>
              <td className={`${TD} max-w-xs break-all`}>{row.target ?? ''}</td>
              <td className={TD}>
                <StatusBadge status={row.result} />
              </td>
              <td className={`${TD} max-w-sm break-words`}>{row.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
