import { EntityLink } from '@/components/graph-sections';
import { DetailFrame } from '@/components/detail-frame';
import { PageShell } from '@/components/page-shell';
import { Panel } from '@/components/panel';
import { requireViewer } from '@/lib/auth/current-viewer';
import { redactEntityDetail } from '@/lib/auth/redaction';
import { textPreview } from '@/lib/format';
import { entityDetail, type EntityDetail } from '@/lib/queries/entity-detail';
import { linkQuery, pageContext, type SearchParams } from '@/lib/queries/page-context';
import { readOrProblem } from '@/lib/queries/stores';
import { StoreError } from '@/lib/store/errors';

export const dynamic = 'force-dynamic';

function more(shown: number, total: number): string | null {
  return total > shown ? `and ${total - shown} more` : null;
}

function Mentions({ detail }: { detail: EntityDetail }) {
  return (
    <ul className="space-y-2 text-sm" data-testid="entity-mentions">
      {detail.mentions.rows.map((mention) => (
        <li key={mention.chunk_id} className="rounded border border-slate-100 p-2 dark:border-slate-800">
          <div className="text-xs text-slate-500">
            {mention.source}
            {mention.heading ? ` › ${mention.heading}` : ''} · {mention.count}×
          </div>
          <p>{textPreview(mention.text)}</p>
        </li>
      ))}
      {more(detail.mentions.rows.length, detail.mentions.total) && (
        <li className="text-slate-500">{more(detail.mentions.rows.length, detail.mentions.total)}</li>
      )}
    </ul>
  );
}

export default async function EntityPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const context = pageContext(await searchParams, await requireViewer());
  const query = linkQuery(context.params);
  const detail = /^[0-9a-f]{12}$/.test(id)
    ? readOrProblem(context.config, (stores) => {
        const found = stores.graph ? entityDetail(stores.graph.db, context.project, id) : null;
        return found && redactEntityDetail(found, context.viewer.role);
      })
    : null;
  const title = detail && !(detail instanceof StoreError) ? detail.entity.name : 'Entity';
  return (
    <PageShell context={context} current="/graph" title={title}>
      <DetailFrame
        back={{ href: `/graph${query}`, label: 'Graph statistics' }}
        result={detail}
        missing={`No entity with id ${id} in project ${context.project}.`}
      >
        {(detail) => (
          <div className="space-y-4">
            <p className="text-sm" data-testid="entity-summary">
              type <strong>{detail.entity.type}</strong> · id <code>{detail.entity.id}</code>
              {detail.aliases.length > 0 && <> · also known as {detail.aliases.join(', ')}</>}
            </p>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              <Panel title={`Neighbours (${detail.neighbours.total})`} id="neighbours">
                <ul className="text-sm" data-testid="entity-neighbours">
                  {detail.neighbours.rows.map((row) => (
                    <li key={`${row.id}-${row.relation}-${row.direction}`}>
                      <span className="text-slate-500">
                        {row.direction === 'out' ? `${row.relation} →` : `← ${row.relation}`}
                      </span>{' '}
                      <EntityLink entity={row} query={query} />{' '}
                      <span className="text-slate-500">
                        ({row.type}, weight {row.weight})
                      </span>
                    </li>
                  ))}
                  {more(detail.neighbours.rows.length, detail.neighbours.total) && (
                    <li className="text-slate-500">{more(detail.neighbours.rows.length, detail.neighbours.total)}</li>
                  )}
                </ul>
              </Panel>
              <Panel title={`Sources (${detail.sources.total})`} id="sources">
                <ul className="text-sm" data-testid="entity-sources">
                  {detail.sources.rows.map((source) => (
                    <li key={source.doc_id}>
                      {source.path} <span className="text-slate-500">({source.mentions} mentions)</span>
                    </li>
                  ))}
                </ul>
              </Panel>
            </div>
            <Panel title={`Mentions (${detail.mentions.total})`} id="mentions">
              <Mentions detail={detail} />
            </Panel>
          </div>
        )}
      </DetailFrame>
    </PageShell>
  );
}
