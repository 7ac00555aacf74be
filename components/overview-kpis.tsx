import { formatCount, formatMs, formatRatio } from '@/lib/format';
import type { IngestTotals } from '@/lib/charts/ingest-rollups';
import type { Overview } from '@/lib/queries/overview';
import { KpiCard } from './kpi-card';

/** Call KPIs from the rollups. `needsStatus`: the Python HydraMem records no call status, so no error rate there. */
const CALL_KPIS: Array<{
  id: string;
  label: string;
  field: 'calls' | 'searches' | 'p50' | 'p95' | 'errorRate' | 'tokensSaved';
  format: (value: number | null) => string;
  higherIsBetter: boolean;
  needsStatus?: boolean;
  hint?: string;
}> = [
  { id: 'calls', label: 'Tool calls', field: 'calls', format: formatCount, higherIsBetter: true },
  { id: 'searches', label: 'Searches', field: 'searches', format: formatCount, higherIsBetter: true },
  { id: 'p50', label: 'Latency p50', field: 'p50', format: formatMs, higherIsBetter: false },
  { id: 'p95', label: 'Latency p95', field: 'p95', format: formatMs, higherIsBetter: false },
  { id: 'error-rate', label: 'Error rate', field: 'errorRate', format: formatRatio, higherIsBetter: false, needsStatus: true },
  {
    id: 'tokens-saved',
    label: 'Tokens saved',
    field: 'tokensSaved',
    format: formatCount,
    higherIsBetter: true,
    hint: 'max(0, Σ baseline − Σ injected)',
  },
];

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
  const ingestSeries = (pick: (point: NonNullable<typeof ingest>['series'][number]) => number) => ingest?.series.map(pick) ?? [];
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {CALL_KPIS.filter((kpi) => !(kpi.needsStatus && data.pythonFile)).map((kpi) => (
        <KpiCard
          key={kpi.id}
          id={kpi.id}
          label={kpi.label}
          value={calls.current[kpi.field]}
          previous={calls.previous[kpi.field]}
          format={kpi.format}
          series={calls.series.map((point) => point[kpi.field])}
          higherIsBetter={kpi.higherIsBetter}
          hint={kpi.hint}
        />
      ))}
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
