import { DetailFrame } from '@/components/detail-frame';
import { EntityRelations } from '@/components/entity-relations';
import { entityTypeMeaning } from '@/components/graph-glossary';
import { PageFrame } from '@/components/page-frame';
import { Panel } from '@/components/panel';
import { plural, textPreview, withoutLinkSyntax } from '@/lib/format';
import type { EntityDetail as EntityDetailData } from '@/lib/read/entity-detail';
import type { Revealed } from '@/lib/read/sensitive';
import { ReadOutcome } from '@/components/read-outcome';
import { dashboardPage } from '@/lib/request/dashboard-page';
import { linkQuery, type SearchParams } from '@/lib/request/links';

type EntityDetail = Revealed<EntityDetailData>;

export const dynamic = 'force-dynamic';

function more(shown: number, total: number): string | null {
  return total > shown ? `and ${total - shown} more` : null;
}

function Mentions({ detail }: { detail: EntityDetail }) {
  return (
    <ul className="space-y-2 text-sm" data-testid="entity-mentions">
      {detail.mentions.rows.map((mention) => (
        <li key={mention.chunk_id} className="rounded border border-slate-100 p-2 dark:border-slate-800">
          <div className="text-xs text-slate-500 dark:text-slate-400">
            {mention.source}
            {mention.heading ? ` › ${withoutLinkSyntax(mention.heading)}` : ''} · {plural(mention.count, 'mention')}
          </div>
          <p>{textPreview(mention.text)}</p>
        </li>
      ))}
      {more(detail.mentions.rows.length, detail.mentions.total) && (
        <li className="text-slate-500 dark:text-slate-400">{more(detail.mentions.rows.length, detail.mentions.total)}</li>
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
  const page = await dashboardPage(searchParams);
  const { context } = page;
  const query = linkQuery(context.params);
  const valid = /^[0-9a-f]{12}$/.test(id);
  const [detail, relations] = valid
    ? await Promise.all([page.read('entityDetail', { id }), page.read('entityRelations', { id })])
    : [null, null];
  const title = detail?.ok && detail.data ? detail.data.entity.name : 'Entity';
  return (
    <PageFrame page={page} title={title} results={detail && relations ? [detail, relations] : []}>
      <DetailFrame back={{ href: `/graph${query}`, label: 'Graph statistics' }} result={detail}>
        {(detail) => (
          <div className="space-y-4">
            <p className="text-sm" data-testid="entity-summary">
              type <strong>{detail.entity.type}</strong>{' '}
              <span className="text-slate-500 dark:text-slate-400">({entityTypeMeaning(detail.entity.type)})</span> · id{' '}
              <code>{detail.entity.id}</code>
              {detail.aliases.length > 0 && <> · also known as {detail.aliases.join(', ')}</>}
            </p>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              {relations && (
                <ReadOutcome result={relations}>
                  {(data) => (
                    <Panel
                      title={`Neighbours (${plural(data.neighbours, 'entity', 'entities')} over ${plural(data.relations, 'relation')})`}
                      id="neighbours"
                    >
                      <EntityRelations relations={data} query={query} />
                    </Panel>
                  )}
                </ReadOutcome>
              )}
              <Panel title={`Sources (${detail.sources.total})`} id="sources">
                <ul className="text-sm" data-testid="entity-sources">
                  {detail.sources.rows.map((source) => (
                    <li key={source.doc_id}>
                      {source.path}{' '}
                      <span className="text-slate-500 dark:text-slate-400">({plural(source.mentions, 'mention')})</span>
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
    </PageFrame>
  );
}
