import { formatChange, formatCount, formatMs, formatRatio, relativeChange } from '../format';
import type { CallActivity } from '../read/call-activity';
import type { CallTotals } from '../read/call-totals';
import type { IngestActivity } from '../read/ingest-activity';
import type { IngestTotals } from '../read/ingest-totals';
import type { GraphCounts } from '../store/sql/graph-counts';

/** One KPI card, ready to draw: its value, the change against the previous period, a sparkline. */
export interface KpiCardData {
  id: string;
  label: string;
  value: number | null;
  valueText: string;
  previousText: string;
  changeText: string;
  /** Whether the change is good news, bad news, or neither (no change, nothing to compare with). */
  tone: 'good' | 'bad' | 'neutral';
  series: Array<number | null>;
  hint?: string;
}

type Format = (value: number | null) => string;

/** Below this base, or beyond this factor, a percentage misleads ("▲ 4650%"): the difference is shown instead. */
const SMALL_BASE = 10;
const LARGE_FACTOR = 10;

/** The change as a percentage where that reads well, else as the difference itself ("▲ +4,604"). */
function changeText(value: number | null, previous: number | null, format: Format): string {
  const change = relativeChange(value, previous);
  if (change === null || change === 0 || value === null || previous === null) return formatChange(change);
  if (Math.abs(previous) >= SMALL_BASE && Math.abs(change) <= LARGE_FACTOR) return formatChange(change);
  const difference = value - previous;
  return `${difference > 0 ? '▲ +' : '▼ −'}${format(Math.abs(difference))}`;
}

function card(
  id: string,
  label: string,
  value: number | null,
  previous: number | null,
  format: Format,
  higherIsBetter: boolean,
  series: Array<number | null>,
  hint?: string,
): KpiCardData {
  const change = relativeChange(value, previous);
  const tone = change === null || change === 0 ? 'neutral' : change > 0 === higherIsBetter ? 'good' : 'bad';
  return {
    id,
    label,
    value,
    valueText: format(value),
    previousText: format(previous),
    changeText: changeText(value, previous, format),
    tone,
    series,
    ...(hint ? { hint } : {}),
  };
}

/** Call KPIs from the rollups. `needsStatus`: the Python HydraMem records no call status, so no error rate there. */
const CALL_KPIS: Array<{
  id: string;
  label: string;
  field: keyof Pick<CallTotals, 'calls' | 'searches' | 'p50' | 'p95' | 'errorRate' | 'tokensSaved'>;
  format: Format;
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
  net: (t: IngestTotals) => number;
}> = [
  { id: 'entities', label: 'Entities', total: 'entities', net: (t) => t.entitiesAdded - t.entitiesRemoved },
  { id: 'relations', label: 'Relations', total: 'relations', net: (t) => t.relationsAdded - t.relationsRemoved },
  { id: 'chunks', label: 'Chunks', total: 'chunks', net: (t) => t.chunksAdded - t.chunksRemoved },
];

/** The overview's KPI cards, in order: calls, then ingest and graph size where the stores have them. */
export function overviewKpis(calls: CallActivity, ingest: IngestActivity | null, graph: GraphCounts | null): KpiCardData[] {
  const cards = CALL_KPIS.filter((kpi) => !(kpi.needsStatus && calls.pythonFile)).map((kpi) =>
    card(
      kpi.id,
      kpi.label,
      calls.current[kpi.field],
      calls.previous[kpi.field],
      kpi.format,
      kpi.higherIsBetter,
      calls.series.map((point) => point[kpi.field]),
      kpi.hint,
    ),
  );
  if (!ingest) return cards;
  cards.push(
    card(
      'documents-ingested',
      'Documents ingested',
      ingest.current.ok,
      ingest.previous.ok,
      formatCount,
      true,
      ingest.series.map((p) => p.ok),
    ),
  );
  if (!graph) return cards;
  for (const { id, label, total, net } of GRAPH_KPIS) {
    cards.push(
      card(
        id,
        label,
        graph[total],
        graph[total] - net(ingest.current),
        formatCount,
        true,
        ingest.series.map(net),
        'total now; change = net added in range',
      ),
    );
  }
  return cards;
}
