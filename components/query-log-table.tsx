import Link from 'next/link';
import { formatCount, formatInstant, formatMs } from '@/lib/format';
import type { QueryLogRow } from '@/lib/read/query-log';
import type { Revealed } from '@/lib/read/sensitive';
import { parseTimestamp } from '@/lib/store/time';
import { StatusBadge } from './ingest-tables';
import { EmptyState } from './panel';

const TH = 'px-2 py-1 text-left font-medium text-slate-600 dark:text-slate-400';
const TD = 'px-2 py-1 align-top';

/** Searches as rows: who asked what, how it went. Each row links to its detail. */
export function QueryLogTable({
  rows,
  timeZone,
  query,
  testId,
  empty,
}: {
  rows: Revealed<QueryLogRow>[];
  timeZone: string;
  query: string;
  testId: string;
  empty: string;
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid={testId}>
        <thead>
          <tr>
            <th className={TH}>Time</th>
            <th className={TH}>Tool</th>
            <th className={TH}>Query</th>
            <th className={TH}>User / memory / session</th>
            <th className={TH}>Results</th>
            <th className={TH}>Latency</th>
            <th className={TH}>Tokens</th>
            <th className={TH}>Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-100 dark:border-slate-800" data-row-id={row.id}>
              <td className={`${TD} whitespace-nowrap`}>
                <Link href={`/queries/${row.id}${query}`} className="text-teal-700 hover:underline dark:text-teal-400">
                  {formatInstant(parseTimestamp(row.ts), timeZone, true)}
                </Link>
              </td>
              <td className={TD}>{row.tool}</td>
              <td className={`${TD} max-w-md break-words`}>{row.query}</td>
              <td className={`${TD} text-xs`}>
                {row.user_id ?? '–'} / {row.memory_id ?? '–'} / <span className="break-all">{row.session_id ?? '–'}</span>
              </td>
              <td className={`${TD} tabular-nums`}>{row.result_count}</td>
              <td className={`${TD} tabular-nums`}>{formatMs(row.latency_ms)}</td>
              <td className={`${TD} tabular-nums`}>{formatCount(row.tokens_injected)}</td>
              <td className={TD}>
                <StatusBadge status={row.status === 'ok' ? 'ok' : 'failed'} />
                {row.error ? <span className="block text-xs">{row.error}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
