import { ChunkReason, QUERY_TERMS } from '@/components/chunk-reason';
import { EntityLink } from '@/components/graph-sections';
import { DetailFrame } from '@/components/detail-frame';
import { PageFrame } from '@/components/page-frame';
import { Panel } from '@/components/panel';
import { formatInstant, formatMs, formatScore, textPreview } from '@/lib/format';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { everyParam, linkQuery, type SearchParams } from '@/lib/request/links';
import { parseTimestamp } from '@/lib/store/time';

export const dynamic = 'force-dynamic';

export default async function QueryDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const page = await dashboardPage(searchParams);
  const { context } = page;
  const query = linkQuery(context.params);
  const detail = /^\d{1,15}$/.test(id) ? await page.read('queryDetail', { id: Number(id) }) : null;
  return (
    <PageFrame page={page} title="Search" results={detail ? [detail] : []}>
      <DetailFrame
        // The log's filters came along in the link: the way back keeps them.
        back={{ href: `/queries${everyParam(context.params)}`, label: 'Query logs' }}
        result={detail}
      >
        {(detail) => (
          <div className="space-y-4">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4" data-testid="query-detail">
              <dt className="text-slate-500 dark:text-slate-400">Query</dt>
              <dd className="sm:col-span-3">{detail.row.query}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Time</dt>
              <dd>{formatInstant(parseTimestamp(detail.row.ts), context.range.timeZone, true)}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Tool</dt>
              <dd>{detail.row.tool}</dd>
              <dt className="text-slate-500 dark:text-slate-400">User / memory / session</dt>
              <dd className="break-all">
                {detail.row.user_id ?? '–'} / {detail.row.memory_id ?? '–'} / {detail.row.session_id ?? '–'}
              </dd>
              <dt className="text-slate-500 dark:text-slate-400">Latency</dt>
              <dd>{formatMs(detail.row.latency_ms)}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Results</dt>
              <dd>{detail.row.result_count}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Tokens injected / baseline</dt>
              <dd>
                {detail.row.tokens_injected} / {detail.row.tokens_baseline}
              </dd>
              <dt className="text-slate-500 dark:text-slate-400">Top score</dt>
              <dd data-testid="top-score">{formatScore(detail.topScore)}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Status</dt>
              <dd>
                {detail.row.status}
                {detail.row.error ? `: ${detail.row.error}` : ''}
              </dd>
            </dl>
            <ul className="space-y-0.5 text-xs text-slate-500 dark:text-slate-400" data-testid="query-terms">
              <li>{QUERY_TERMS.tokens}</li>
              <li>{QUERY_TERMS.topScore}</li>
            </ul>
            <Panel title={`Returned chunks (${detail.chunks.length})`} id="returned-chunks" note={QUERY_TERMS.score}>
              <ol className="list-decimal space-y-2 pl-6 text-sm" data-testid="returned-chunks">
                {detail.chunks.map((chunk) => (
                  <li key={chunk.id}>
                    {chunk.present ? (
                      <>
                        <div className="text-xs text-slate-500 dark:text-slate-400">
                          {chunk.source}
                          {chunk.heading ? ` › ${chunk.heading}` : ''}
                        </div>
                        <p>{textPreview(chunk.text ?? '')}</p>
                      </>
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">
                        chunk {chunk.id} is no longer in the graph (its note changed or was deleted)
                      </span>
                    )}
                    <ChunkReason hit={chunk.hit} />
                  </li>
                ))}
              </ol>
            </Panel>
            <Panel title={`Entities (${detail.entities.length})`} id="returned-entities">
              <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="returned-entities">
                {detail.entities.map((entity) => (
                  <li key={entity.id}>
                    {entity.name ? (
                      <EntityLink entity={{ id: entity.id, name: entity.name }} query={query} />
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">{entity.id} (gone)</span>
                    )}
                    {entity.type ? <span className="text-slate-500 dark:text-slate-400"> ({entity.type})</span> : null}
                  </li>
                ))}
              </ul>
            </Panel>
          </div>
        )}
      </DetailFrame>
    </PageFrame>
  );
}
