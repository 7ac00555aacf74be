import { GetForm } from './get-form';
import Link from 'next/link';
import { graphCategoryCharts, growthChart } from '@/lib/charts/graph-charts';
import { graphTotalChange } from '@/lib/charts/overview-kpis';
import type { BucketLabels } from '@/lib/charts/time-series';
import { formatCount } from '@/lib/format';
import type { EntityMatch } from '@/lib/read/entity-search';
import type { GraphGrowth } from '@/lib/read/graph-growth';
import type { GraphSnapshot as GraphSnapshotData } from '@/lib/read/graph-snapshot';
import type { Revealed } from '@/lib/read/sensitive';
import type { ReadResult } from '@/lib/request/read-result';
import { CategoryBars } from './charts/category-bars';
import { TimeChart } from './charts/time-chart';
import { EmptyState, Panel } from './panel';
import {
  entityTypeMeaning,
  isExtractedEntityType,
  isNamedRelation,
  OTHER_ENTITY_MEANING,
  OTHER_RELATION_MEANING,
  relationMeaning,
} from './graph-glossary';
import { Definitions, TermList } from './term-list';
import { ReadOutcome } from './read-outcome';
import { RowsShown } from './rows-shown';
import { TD, TH } from './table-styles';

type GraphSnapshot = Revealed<GraphSnapshotData>;

/** The graph as it is now: the time range changes only the Growth chart, and these panels say so. */
const NOW = 'the graph now, whatever the time range';

type GraphCounts = NonNullable<GraphGrowth['atStart']>;

const COUNTED: Record<string, keyof GraphCounts> = {
  Documents: 'documents',
  Chunks: 'chunks',
  Entities: 'entities',
  Relations: 'relations',
};

/**
 * The snapshot's totals; each count with its change since the range's start when the size then is
 * known (`atStart` null: none logged so early; undefined: not read).
 */
/**
 * What each type on a chart means, under it: those with a meaning of their own one by one, in the
 * chart's order; the rest, named for where they came from, on one line together.
 */
function TypeTerms({
  types,
  meaning,
  ownMeaning,
  otherMeaning,
}: {
  types: readonly string[];
  meaning: (type: string) => string;
  ownMeaning: (type: string) => boolean;
  otherMeaning: string;
}) {
  const others = types.filter((type) => !ownMeaning(type));
  const items: Array<readonly [string, string]> = types.filter(ownMeaning).map((type) => [type, meaning(type)] as const);
  if (others.length > 0) items.push([others.join(', '), otherMeaning]);
  return <Definitions testId="type-terms" items={items} />;
}

export function GraphTotals({ stats, atStart }: { stats: GraphSnapshot['stats']; atStart?: GraphCounts | null }) {
  const items: Array<[string, number]> = [
    ['Documents', stats.totals.documents],
    ['Chunks', stats.totals.chunks],
    ['Entities', stats.totals.entities],
    ['Relations', stats.totals.relations],
    // Snapshots from before the Night Gardener computed components do not have them.
    ...(stats.connectedComponents
      ? ([
          ['Components', stats.connectedComponents.count],
          ['Largest', stats.connectedComponents.largest],
        ] as Array<[string, number]>)
      : []),
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3 lg:grid-cols-6" data-testid="graph-totals">
      {items.map(([label, value]) => {
        const counted = COUNTED[label];
        return (
          <div key={label} className="rounded border border-slate-200 p-3 dark:border-slate-800">
            <dt className="text-slate-600 dark:text-slate-400">
              {label}
              {label === 'Largest' && <span className="text-xs"> component (entities)</span>}
            </dt>
            <dd
              className="text-xl font-semibold tabular-nums"
              data-testid={`graph-total-${label.toLowerCase()}`}
              data-value={value}
            >
              {formatCount(value)}
            </dd>
            {counted && atStart !== undefined && (
              <dd className="text-xs text-slate-500 dark:text-slate-400" data-testid={`graph-change-${counted}`}>
                {graphTotalChange(value, atStart, counted)}
                {atStart && " since the range's start"}
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

export function GraphCharts({
  snapshot,
  growth,
  labels,
}: {
  snapshot: GraphSnapshot;
  /** The graph's logged size at each bucket's end, and the buckets' starts. */
  growth: { sizes: ReadonlyArray<GraphCounts | null>; starts: readonly number[] } | null;
  labels: BucketLabels;
}) {
  const { stats } = snapshot;
  const charts = graphCategoryCharts(stats);
  const growthData = growth ? growthChart(growth.sizes, growth.starts, labels) : null;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Entities by type" id="entities-by-type" note={NOW}>
        <CategoryBars title="Entities by type" chart={charts.entityTypes} />
        <TypeTerms
          types={charts.entityTypes.rows.map((row) => row.label)}
          meaning={entityTypeMeaning}
          ownMeaning={isExtractedEntityType}
          otherMeaning={OTHER_ENTITY_MEANING}
        />
      </Panel>
      <Panel title="Relations by type" id="relations-by-type" note={NOW}>
        <CategoryBars title="Relations by type" chart={charts.relationTypes} />
        <TypeTerms
          types={charts.relationTypes.rows.map((row) => row.label)}
          meaning={relationMeaning}
          ownMeaning={isNamedRelation}
          otherMeaning={OTHER_RELATION_MEANING}
        />
      </Panel>
      <Panel
        title="Growth"
        id="growth"
        note="in the time range: totals at the end of each bucket, as the writer logged them (merges and prunes included)"
      >
        {growthData && growthData.rows.length > 0 ? (
          <TimeChart title="Entities and relations over time" chart={growthData} />
        ) : (
          <EmptyState>No ingest history in this range.</EmptyState>
        )}
      </Panel>
      <Panel title="Degree distribution" id="degree-distribution" note={`${NOW}: entities by number of relations`}>
        <CategoryBars title="Degree distribution" chart={charts.degree} />
        <TermList terms={[['Degree', 'degree']]} />
      </Panel>
      <Panel title="Relation confidence" id="confidence" note={NOW}>
        <CategoryBars title="Relation confidence histogram" chart={charts.confidence} />
        <TermList terms={[['Confidence', 'confidence']]} />
      </Panel>
    </div>
  );
}

export function EntityLink({ entity, query }: { entity: { id: string; name: string }; query: string }) {
  return (
    <Link href={`/graph/entity/${entity.id}${query}`} className="text-teal-700 underline underline-offset-2 dark:text-teal-400">
      {entity.name}
    </Link>
  );
}

export function HubsAndOrphans({ stats, query }: { stats: GraphSnapshot['stats']; query: string }) {
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Panel title="Top hubs" id="top-hubs" note={`${NOW}: the most connected entities`}>
        <table className="w-full text-sm" data-testid="top-hubs">
          <thead>
            <tr>
              <th className={TH}>Entity</th>
              <th className={TH}>Type</th>
              <th className={TH}>Relations</th>
            </tr>
          </thead>
          <tbody>
            {stats.topHubs.map((hub) => (
              <tr key={hub.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className={TD}>
                  <EntityLink entity={hub} query={query} />
                </td>
                <td className={TD}>{hub.type}</td>
                <td className={`${TD} tabular-nums`}>{hub.degree}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <RowsShown
          shown={stats.topHubs.length}
          total={stats.totals.entities}
          dataset="entities"
          query={query}
          testId="top-hubs-shown"
        />
      </Panel>
      <Panel title={`Orphans (${stats.orphans.count})`} id="orphans" note={`${NOW}: entities with no mentions and no relations`}>
        {stats.orphans.count === 0 ? (
          <EmptyState>No orphans: every entity is mentioned or related.</EmptyState>
        ) : (
          <ul className="text-sm">
            {stats.orphans.sample.map((orphan) => (
              <li key={orphan.id}>
                <EntityLink entity={orphan} query={query} />{' '}
                <span className="text-slate-500 dark:text-slate-400">({orphan.type})</span>
              </li>
            ))}
            {stats.orphans.count > stats.orphans.sample.length && (
              <li className="text-slate-500 dark:text-slate-400">and {stats.orphans.count - stats.orphans.sample.length} more</li>
            )}
          </ul>
        )}
      </Panel>
    </div>
  );
}

export function EntitySearch({
  text,
  result,
  query,
  hidden,
}: {
  text: string;
  result: ReadResult<{ matches: Revealed<EntityMatch>[]; more: boolean }> | null;
  query: string;
  hidden: Record<string, string>;
}) {
  return (
    <Panel title="Find an entity" id="entity-search">
      <GetForm action="/graph" hidden={hidden} className="flex gap-2">
        <label htmlFor="entity-q" className="sr-only">
          Entity name
        </label>
        <input
          id="entity-q"
          name="q"
          defaultValue={text}
          placeholder="name, e.g. Telemetry Bus"
          className="w-72 rounded border border-slate-300 bg-transparent px-2 py-1 text-sm dark:border-slate-700"
        />
        <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-sm text-white">
          Search
        </button>
      </GetForm>
      {result && (
        <div className="mt-3">
          <ReadOutcome result={result} narrow="a longer part of the name">
            {(found) => (
              <ul className="text-sm" data-testid="entity-matches">
                {found.matches.length === 0 && (
                  <li className="text-slate-500 dark:text-slate-400">No entity matches “{text}”.</li>
                )}
                {found.matches.map((match) => (
                  <li key={match.id}>
                    <EntityLink entity={match} query={query} />{' '}
                    <span className="text-slate-500 dark:text-slate-400">({match.type})</span>
                  </li>
                ))}
                {found.more && <li className="text-slate-500 dark:text-slate-400">More match: refine the name.</li>}
              </ul>
            )}
          </ReadOutcome>
        </div>
      )}
    </Panel>
  );
}
