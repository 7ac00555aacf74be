import Link from 'next/link';
import { formatCount, formatInstant, formatMs } from '@/lib/format';
import type { QueryLogRow, QuerySort } from '@/lib/read/query-log';
import type { Revealed } from '@/lib/read/sensitive';
import { parseTimestamp } from '@/lib/store/time';
import { StatusBadge } from './ingest-tables';
import { EmptyState } from './panel';
import { SortHeader } from './sort-header';
import { TableScroll } from './table-scroll';

const TH = 'px-2 py-1 text-left font-medium text-slate-600 dark:text-slate-400';
const TD = 'px-2 py-1 align-top';

/** A header's state and link: newest or slowest first on the first click, the other way round on the next. */
function sortBy(
  sorting: { sort: QuerySort; href: (sort: QuerySort) => string },
  column: 'time' | 'latency',
): { direction: 'ascending' | 'descending' | null; href: string } {
  const direction = sorting.sort === `${column}_desc` ? 'descending' : sorting.sort === `${column}_asc` ? 'ascending' : null;
  return { direction, href: sorting.href(direction === 'descending' ? `${column}_asc` : `${column}_desc`) };
}

/** Searches as rows: who asked what, how it went. Each row links to its detail. */
export function QueryLogTable({
  rows,
  timeZone,
  query,
  testId,
  empty,
  sorting,
}: {
  rows: Revealed<QueryLogRow>[];
  timeZone: string;
  query: string;
  testId: string;
  empty: string;
  /** The log's own table sorts by its Time and Latency headers; the highlight tables do not. */
  sorting?: { sort: QuerySort; href: (sort: QuerySort) => string };
}) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <TableScroll label="Searches">
      <table className="w-full min-w-[44rem] text-sm" data-testid={testId}>
        <thead>
          <tr>
            {sorting ? <SortHeader label="Time" {...sortBy(sorting, 'time')} /> : <th className={TH}>Time</th>}
            <th className={TH}>Tool</th>
            <th className={TH}>Query</th>
            <th className={TH}>User / memory / session</th>
            <th className={TH}>Results</th>
            {sorting ? <SortHeader label="Latency" {...sortBy(sorting, 'latency')} /> : <th className={TH}>Latency</th>}
            <th className={TH} title="tokens of the chunks the search returned to the agent">
              Tokens injected
            </th>
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
              <td className={`${TD} min-w-[14rem] max-w-md break-words`}>{row.query}</td>
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
    </TableScroll>
  );
}
