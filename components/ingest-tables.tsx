import Link from 'next/link';
import { formatInstant, formatMs } from '@/lib/format';
import { pagerLinks } from '@/lib/request/paging';
import type { IngestRunPage } from '@/lib/read/ingest-runs';
import type { ColumnSort } from '@/lib/request/sort-param';
import type { SourceRow } from '@/lib/read/ingest-sources';
import { parseTimestamp } from '@/lib/store/time';
import { TablePager } from './pager';
import { EmptyState } from './panel';
import { TableHead } from './table-head';
import { TD, TH } from './table-styles';
import { TableScroll } from './table-scroll';

const STATUS_TONE: Record<string, string> = {
  ok: 'text-emerald-700 dark:text-emerald-400',
  skipped: 'text-amber-700 dark:text-amber-400',
  failed: 'text-rose-700 dark:text-rose-400',
  refused: 'text-rose-700 dark:text-rose-400',
  denied: 'text-rose-700 dark:text-rose-400',
  running: 'text-amber-700 dark:text-amber-400',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`font-medium ${STATUS_TONE[status] ?? ''}`}>{status}</span>;
}

export function RecentRuns({
  page,
  timeZone,
  linkFor,
  status,
  sort,
  position,
  size,
}: {
  page: IngestRunPage;
  timeZone: string;
  linkFor: (changes: Record<string, string | null>) => string;
  status: string | null;
  /** The Time column's order; its header links to the other. */
  sort: ColumnSort;
  /** The first row's place in the list (null: unknown), and rows per page. */
  position: number | null;
  size: number;
}) {
  return (
    <div>
      <div className="mb-2 flex gap-2 text-sm report:hidden" role="group" aria-label="Filter by status">
        {[null, 'ok', 'skipped', 'failed'].map((value) => (
          <Link
            key={value ?? 'all'}
            href={linkFor({ status: value, before: null, at: null })}
            aria-current={status === value ? 'true' : undefined}
            className={`rounded border px-2 py-0.5 ${status === value ? 'border-teal-700 bg-teal-700 text-white' : 'border-slate-300 dark:border-slate-700'}`}
          >
            {value ?? 'all'}
          </Link>
        ))}
      </div>
      {page.runs.length === 0 ? (
        <EmptyState>
          No ingest runs in this range{status ? ` with status ${status}` : ''}: run <code>hydramem ingest PATH</code> or edit a
          note while the writer serves.
        </EmptyState>
      ) : (
        <TableScroll label="Recent runs">
          <table className="w-full min-w-[44rem] text-sm" data-testid="ingest-runs">
            <TableHead
              labels={['Time', 'File', 'Status', 'Change', 'Chunks ±', 'Duration', 'Reason']}
              sortable={{ Time: { direction: sort.direction, href: linkFor({ sort: sort.other, before: null, at: null }) } }}
            />
            <tbody>
              {page.runs.map((run) => (
                <tr key={run.id} className="border-t border-slate-100 dark:border-slate-800" data-row-id={run.id}>
                  <td className={`${TD} whitespace-nowrap`}>{formatInstant(parseTimestamp(run.ts), timeZone, true)}</td>
                  <td className={`${TD} min-w-[12rem] break-all`}>{run.path}</td>
                  <td className={TD}>
                    <StatusBadge status={run.status} />
                  </td>
                  <td className={TD}>{run.change}</td>
                  <td className={`${TD} tabular-nums`}>
                    +{run.chunks_added} / −{run.chunks_removed}
                  </td>
                  <td className={`${TD} tabular-nums`}>{formatMs(run.duration_ms)}</td>
                  <td className={TD}>{run.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <TablePager
        testId="runs-pager"
        position={position}
        shown={page.runs.length}
        total={{ count: page.count, capped: page.countCapped }}
        links={pagerLinks('before', position, size, page.runs.length, page.previous, page.nextCursor)}
        href={linkFor}
      />
    </div>
  );
}

export function SourcesTable({ rows, truncated, timeZone }: { rows: SourceRow[]; truncated: boolean; timeZone: string }) {
  if (rows.length === 0)
    return (
      <EmptyState>
        Nothing ingested yet: run <code>hydramem ingest PATH</code>.
      </EmptyState>
    );
  return (
    <TableScroll label="Sources">
      <table className="w-full min-w-[32rem] text-sm" data-testid="ingest-sources">
        <thead>
          <tr>
            <th className={TH}>File</th>
            <th className={TH}>Last ingested</th>
            <th className={TH}>Chunks</th>
            <th className={TH}>Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path} className="border-t border-slate-100 dark:border-slate-800">
              <td className={`${TD} break-all`}>{row.path}</td>
              <td className={`${TD} whitespace-nowrap`}>{formatInstant(parseTimestamp(row.lastIngested), timeZone)}</td>
              <td className={`${TD} tabular-nums`}>{row.chunks ?? '–'}</td>
              <td className={TD}>
                <StatusBadge status={row.status} />{' '}
                {row.change === 'deleted' ? '(deleted)' : row.reason && row.status !== 'ok' ? `— ${row.reason}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated && (
        <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Showing the 500 most recently ingested files.</p>
      )}
    </TableScroll>
  );
}
