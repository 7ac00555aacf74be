import { formatChange, formatCount, formatMs, formatRatio, relativeChange } from '../format';
import type { CallActivity } from '../read/call-activity';
import type { CallTotals } from '../read/call-totals';
import type { GraphGrowth } from '../read/graph-growth';
import type { IngestActivity } from '../read/ingest-activity';
import type { GraphCounts } from '../store/sql/graph-counts';
import { GLOSSARY } from '../glossary';

/** One KPI card, ready to draw: its value, the change against the previous period, a sparkline. */
export interface KpiCardData {
  id: string;
  label: string;
  value: number | null;
  valueText: string;
  previousText: string;
  changeText: string;
  /** What the change is against ("vs previous period"); empty when there is nothing to compare with. */
  comparedWith: string;
  /** Whether the change is good news, bad news, or neither (no change, nothing to compare with). */
  tone: 'good' | 'bad' | 'neutral';
  series: Array<number | null>;
  hint?: string;
}

type Format = (value: number | null) => string;

/** Below this base, or beyond this factor, a percentage misleads ("▲ 4650%"): the difference is shown instead. */
const SMALL_BASE = 10;
const LARGE_FACTOR = 10;

/**
 * The one definition of a card's change: the shown value against the same quantity for the previous
 * window (null: that window holds nothing, "no earlier data"); a percentage where that reads well,
 * else the difference itself ("▲ +4,604").
 */
export function changeText(value: number | null, previous: number | null, format: Format): string {
  if (previous === null) return formatChange(null);
  if (value === null) return 'none in this range';
  const difference = value - previous;
  if (difference === 0) return formatChange(0);
  const change = relativeChange(value, previous);
  if (change !== null && Math.abs(previous) >= SMALL_BASE && Math.abs(change) <= LARGE_FACTOR) return formatChange(change);
  return `${difference > 0 ? '▲ +' : '▼ −'}${format(Math.abs(difference))}`;
}

/** Good news, bad news, or neither (no change, nothing to compare with). */
export function changeTone(value: number | null, previous: number | null, higherIsBetter: boolean): KpiCardData['tone'] {
  if (value === null || previous === null || value === previous) return 'neutral';
  return value > previous === higherIsBetter ? 'good' : 'bad';
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
  comparedWith = 'vs previous period',
): KpiCardData {
  return {
    id,
    label,
    value,
    valueText: format(value),
    previousText: previous === null ? 'nothing recorded' : format(previous),
    changeText: changeText(value, previous, format),
    comparedWith: previous === null ? '' : comparedWith,
    tone: changeTone(value, previous, higherIsBetter),
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
  { id: 'p50', label: 'Latency p50', field: 'p50', format: formatMs, higherIsBetter: false, hint: GLOSSARY.p50 },
  { id: 'p95', label: 'Latency p95', field: 'p95', format: formatMs, higherIsBetter: false, hint: GLOSSARY.p95 },
  {
    id: 'error-rate',
    label: 'Error rate',
    field: 'errorRate',
    format: formatRatio,
    higherIsBetter: false,
    needsStatus: true,
    hint: GLOSSARY.errorRate,
  },
  {
    id: 'tokens-saved',
    label: 'Tokens saved',
    field: 'tokensSaved',
    format: formatCount,
    higherIsBetter: true,
    hint: GLOSSARY.tokensSaved,
  },
];

/** Graph sizes: the total now, and as the change, now minus the total at the range's start. */
const GRAPH_KPIS: Array<{ id: string; label: string; total: keyof GraphCounts }> = [
  { id: 'entities', label: 'Entities', total: 'entities' },
  { id: 'relations', label: 'Relations', total: 'relations' },
  { id: 'chunks', label: 'Chunks', total: 'chunks' },
];

/** The overview's KPI cards, in order: calls, then ingest and graph size where the stores have them. */
export function overviewKpis(calls: CallActivity, ingest: IngestActivity | null, graph: GraphGrowth | null): KpiCardData[] {
  // The previous window "has data" when it holds calls (ingest runs): then its zero is a value.
  const hadCalls = calls.previous.calls > 0;
  const cards = CALL_KPIS.filter((kpi) => !(kpi.needsStatus && calls.pythonFile)).map((kpi) =>
    card(
      kpi.id,
      kpi.label,
      calls.current[kpi.field],
      hadCalls ? calls.previous[kpi.field] : null,
      kpi.format,
      kpi.higherIsBetter,
      calls.series.map((point) => point[kpi.field]),
      kpi.hint,
    ),
  );
  if (!ingest) return cards;
  const hadRuns = ingest.previous.ok + ingest.previous.skipped + ingest.previous.failed > 0;
  cards.push(
    card(
      'documents-ingested',
      'Documents ingested',
      ingest.current.ok,
      hadRuns ? ingest.previous.ok : null,
      formatCount,
      true,
      ingest.series.map((p) => p.ok),
    ),
  );
  if (!graph) return cards;
  for (const { id, label, total } of GRAPH_KPIS) {
    cards.push(
      card(
        id,
        label,
        graph.atEnd[total],
        graph.atStart?.[total] ?? null,
        formatCount,
        true,
        graph.series.map((size) => size?.[total] ?? null),
        graph.endedEarlier ? "total at the range's end" : 'total now',
        "since the range's start",
      ),
    );
  }
  return cards;
}

/** The graph page's totals, each with its change since the range's start ("no earlier data" without one). */
export function graphTotalChange(shown: number, atStart: GraphCounts | null, total: keyof GraphCounts): string {
  return changeText(shown, atStart?.[total] ?? null, formatCount);
}
