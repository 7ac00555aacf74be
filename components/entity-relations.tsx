import type { EntityRelations as EntityRelationsData, RelationGroup } from '@/lib/read/entity-relations';
import type { Revealed } from '@/lib/read/sensitive';
import { formatWeight, plural, textPreview } from '@/lib/format';
import { EntityLink } from './graph-sections';
import { entityTypeMeaning, relationHeading, relationMeaning } from './graph-glossary';

type Relations = Revealed<EntityRelationsData>;
type Group = Revealed<RelationGroup>;

/** A sentence quoted under its neighbour: long enough to read the claim, short enough to scan a list. */
const QUOTE_CHARS = 160;

function Sentences({ notes }: { notes: Group['rows'][number]['notes']['rows'] }) {
  const quoted = notes.flatMap((note) => note.sentences.map((sentence) => ({ key: `${note.docId}\u0000${sentence}`, sentence })));
  if (quoted.length === 0) return null;
  return (
    <ul className="mt-0.5 space-y-0.5 text-xs text-slate-600 dark:text-slate-300" data-testid="relation-sentences">
      {quoted.map(({ key, sentence }) => (
        <li key={key}>
          <q>{textPreview(sentence, QUOTE_CHARS)}</q>
        </li>
      ))}
    </ul>
  );
}

const DIRECTION: Record<Group['direction'], string> = { out: 'outgoing', in: 'incoming', both: 'no direction' };

function Neighbour({ row, query }: { row: Group['rows'][number]; query: string }) {
  const more = row.notes.total - row.notes.rows.length;
  return (
    <li data-testid="relation-neighbour" data-id={row.id}>
      <EntityLink entity={row} query={query} />{' '}
      <span className="text-slate-500 dark:text-slate-400">
        (<abbr title={entityTypeMeaning(row.type)}>{row.type}</abbr>, weight {formatWeight(row.weight)})
      </span>
      {row.notes.total > 0 && (
        <div className="text-xs text-slate-500 dark:text-slate-400" data-testid="relation-notes">
          from {row.notes.rows.map((note) => `${note.path}${note.count > 1 ? ` (${note.count}×)` : ''}`).join(', ')}
          {more > 0 && ` and ${plural(more, 'more note')}`}
          <Sentences notes={row.notes.rows} />
        </div>
      )}
    </li>
  );
}

function GroupList({ group, query }: { group: Group; query: string }) {
  const more = group.total - group.rows.length;
  return (
    <section data-testid="relation-group" data-type={group.type} data-direction={group.direction}>
      <h3 className="text-sm font-medium">
        <code>{group.type}</code> · {DIRECTION[group.direction]}: {relationHeading(group.type, group.direction)} (
        {plural(group.total, 'entity', 'entities')})
      </h3>
      <p className="text-xs text-slate-500 dark:text-slate-400">{relationMeaning(group.type)}</p>
      <ul className="mt-1 space-y-1 pl-4 text-sm">
        {group.rows.map((row) => (
          <Neighbour key={row.id} row={row} query={query} />
        ))}
        {more > 0 && <li className="text-slate-500 dark:text-slate-400">and {plural(more, 'more entity', 'more entities')}</li>}
      </ul>
    </section>
  );
}

/** The entity types the neighbours have, each with what it means: said once, under the lists. */
function TypeLegend({ relations }: { relations: Relations }) {
  const types = [...new Set(relations.groups.flatMap((group) => group.rows.map((row) => row.type)))].sort();
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-500 dark:text-slate-400" data-testid="entity-type-legend">
      {types.map((type) => (
        <div key={type} className="contents">
          <dt className="font-medium">{type}</dt>
          <dd>{entityTypeMeaning(type)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** An entity's neighbours by relation type and direction, each with its weight and the notes behind it. */
export function EntityRelations({ relations, query }: { relations: Relations; query: string }) {
  if (relations.groups.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">No relations.</p>;
  return (
    <div className="space-y-3" data-testid="entity-neighbours">
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Weight: how many times the notes state the relation (lowered by the Night Gardener when nothing has confirmed it lately);
        the notes listed under a neighbour are the ones that state it.
      </p>
      {relations.groups.map((group) => (
        <GroupList key={`${group.type}-${group.direction}`} group={group} query={query} />
      ))}
      {relations.moreGroups > 0 && (
        <p className="text-sm text-slate-500 dark:text-slate-400">and {plural(relations.moreGroups, 'more relation type')}</p>
      )}
      <TypeLegend relations={relations} />
    </div>
  );
}
