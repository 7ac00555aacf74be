import fs from 'node:fs';
import {
  callSeries,
  callsByToolSeries,
  rowsIn,
  toolSummaries,
  totalCalls,
  type CallPoint,
  type CallRollupRow,
  type CallTotals,
  type ToolSummary,
} from '../charts/call-rollups';
import {
  ingestRowsIn,
  ingestSeries,
  totalIngest,
  type IngestPoint,
  type IngestRollupRow,
  type IngestTotals,
} from '../charts/ingest-rollups';
import { hasTable } from '../store/open-readonly';
import { eventRollups } from './event-rollups';
import { hourBucket } from '../store/time';
import { previousRange, type TimeRange } from './range';
import type { DashboardStores } from './stores';

export interface GraphTotals {
  documents: number;
  chunks: number;
  entities: number;
  relations: number;
}

export interface Overview {
  calls: { current: CallTotals; previous: CallTotals; series: CallPoint[] };
  tools: { summaries: ToolSummary[]; byBucket: ReturnType<typeof callsByToolSeries> };
  /** True for a Python HydraMem telemetry file: only calls, latency and tokens can be shown. */
  pythonFile: boolean;
  ingest: { current: IngestTotals; previous: IngestTotals; series: IngestPoint[] } | null;
  graph: GraphTotals | null;
  health: {
    lastEventAt: string | null;
    metricsVersion: number;
    graphVersion: number | null;
    metricsBytes: number;
    graphBytes: number | null;
  };
}

function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(/* turbopackIgnore: true */ `${file}${suffix}`).size;
    } catch {
      // no WAL: nothing to add
    }
  }
  return total;
}

/** Overview numbers for one project: this period, the one before, per-bucket series, and writer health. */
export function overview(stores: DashboardStores, project: string, range: TimeRange): Overview {
  const previous = previousRange(range);
  const db = stores.metrics.db;
  const span: [string, string, string] = [project, hourBucket(previous.from), range.to.toISOString().replace('Z', '000+00:00')];
  // Our writer keeps hourly rollups; a Python HydraMem file has only raw events, grouped here instead.
  const callRows = hasTable(db, 'call_rollup_hourly')
    ? db
        .prepare<typeof span, CallRollupRow>(
          `SELECT hour, tool, calls, errors, searches, zero_results, latency_hist, tokens_injected, tokens_baseline
           FROM call_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?`,
        )
        .all(...span)
    : eventRollups(db, project, span[1], span[2]);
  const inRange = rowsIn(callRows, range);
  const ingestRows = hasTable(db, 'ingest_rollup_hourly')
    ? db
        .prepare<typeof span, IngestRollupRow>(
          `SELECT hour, status, files, chunks_added, chunks_removed, entities_added, entities_removed, relations_added,
             relations_removed, duration_sum_ms FROM ingest_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?`,
        )
        .all(...span)
    : null;
  const lastEventAt =
    db.prepare<[string], { ts: string | null }>('SELECT MAX(ts) AS ts FROM events WHERE project = ?').get(project)?.ts ?? null;
  const graphDb = stores.graph?.db ?? null;
  const count = (table: string): number =>
    graphDb?.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE project = ?`).get(project)?.n ?? 0;
  return {
    calls: { current: totalCalls(inRange), previous: totalCalls(rowsIn(callRows, previous)), series: callSeries(inRange, range) },
    tools: { summaries: toolSummaries(inRange), byBucket: callsByToolSeries(inRange, range) },
    pythonFile: stores.metrics.pythonCompatible,
    ingest: ingestRows
      ? {
          current: totalIngest(ingestRowsIn(ingestRows, range)),
          previous: totalIngest(ingestRowsIn(ingestRows, previous)),
          series: ingestSeries(ingestRowsIn(ingestRows, range), range),
        }
      : null,
    graph: graphDb
      ? { documents: count('documents'), chunks: count('chunks'), entities: count('entities'), relations: count('relations') }
      : null,
    health: {
      lastEventAt,
      metricsVersion: stores.metrics.version,
      graphVersion: stores.graph?.version ?? null,
      metricsBytes: fileBytes(stores.metricsFile),
      graphBytes: graphDb ? fileBytes(stores.graphFile) : null,
    },
  };
}
