import { formatCount, formatMs, formatRatio } from '@/lib/format';
import type { IngestTotals } from '@/lib/charts/ingest-rollups';
import type { Overview } from '@/lib/queries/overview';
import { KpiCard } from './kpi-card';

/** Graph sizes: today's total, and as the change, what the range added net (so "previous" is the total before it). */
const GRAPH_KPIS: Array<{
  id: string;
  label: string;
  total: 'entities' | 'relations' | 'chunks';
  net: (totals: IngestTotals) => number;
}> = [
  { id: 'entities', label: 'Entities', total: 'entities', net: (t) => t.entitiesAdded - t.entitiesRemoved },
  { id: 'relations', label: 'Relations', total: 'relations', net: (t) => t.relationsAdded - t.relationsRemoved },
  { id: 'chunks', label: 'Chunks', total: 'chunks', net: (t) => t.chunksAdded - t.chunksRemoved },
];

/** The overview's KPI grid: each card with its change against the previous period and a sparkline. */
export function OverviewKpis({ data }: { data: Overview }) {
  const { calls, ingest, graph } = data;
  const series = <K extends keyof (typeof calls.series)[number]>(key: K) =>
    calls.series.map((point) => point[key] as number | null);
  const ingestSeries = (pick: (point: NonNullable<typeof ingest>['series'][number]) => number) => ingest?.series.map(pick) ?? [];
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <KpiCard
        id="calls"
        label="Tool calls"
        value={calls.current.calls}
        previous={calls.previous.calls}
        format={formatCount}
        series={series('calls')}
        higherIsBetter
      />
      <KpiCard
        id="searches"
        label="Searches"
        value={calls.current.searches}
        previous={calls.previous.searches}
        format={formatCount}
        series={series('searches')}
        higherIsBetter
      />
      <KpiCard
        id="p50"
        label="Latency p50"
        value={calls.current.p50}
        previous={calls.previous.p50}
        format={formatMs}
        series={series('p50')}
        higherIsBetter={false}
      />
      <KpiCard
        id="p95"
        label="Latency p95"
        value={calls.current.p95}
        previous={calls.previous.p95}
        format={formatMs}
        series={series('p95')}
        higherIsBetter={false}
      />
      {/* The Python HydraMem records no call status: an error rate there would be a made-up zero. */}
      {!data.pythonFile && (
        <KpiCard
          id="error-rate"
          label="Error rate"
          value={calls.current.errorRate}
          previous={calls.previous.errorRate}
          format={formatRatio}
          series={series('errorRate')}
          higherIsBetter={false}
        />
      )}
      <KpiCard
        id="tokens-saved"
        label="Tokens saved"
        value={calls.current.tokensSaved}
        previous={calls.previous.tokensSaved}
        format={formatCount}
        series={series('tokensSaved')}
        higherIsBetter
        hint="max(0, Σ baseline − Σ injected)"
      />
      {ingest && (
        <KpiCard
          id="documents-ingested"
          label="Documents ingested"
          value={ingest.current.ok}
          previous={ingest.previous.ok}
          format={formatCount}
          series={ingestSeries((p) => p.ok)}
          higherIsBetter
        />
      )}
      {graph &&
        ingest &&
        GRAPH_KPIS.map(({ id, label, total, net }) => (
          <KpiCard
            key={id}
            id={id}
            label={label}
            value={graph[total]}
            previous={graph[total] - net(ingest.current)}
            format={formatCount}
            series={ingestSeries(net)}
            higherIsBetter
            hint="total now; change = net added in range"
          />
        ))}
    </div>
  );
}
