import { emptyHistogram, histogramQuantile, mergeHistograms, parseHistogram } from '../store/latency-bins';
import { hasTable } from '../store/open-readonly';
import type { ReadDB } from '../store/read-db';
import { callRollups } from '../store/sql/call-rollups';
import type { GraphCounts } from '../store/sql/graph-counts';
import { hourBucket, isoTimestamp } from '../store/time';

/** Later than any stored timestamp: "up to now" for a window that has no end. */
const END_OF_TIME = '9999-12-31T23:59:59.999999+00:00';

/** The Python HydraMem's flat rate for the value of a saved token: $5 per million. */
export const USD_PER_MILLION_TOKENS = 5;

export interface TelemetryStats {
  project: string;
  since: string;
  calls: number;
  searches: number;
  errors: number;
  tokensInjected: number;
  tokensBaseline: number;
  /** max(0, Σ baseline − Σ injected), as the Python HydraMem computes it. */
  tokensSaved: number;
  /** Saved ÷ baseline; null when nothing had a baseline (not 0%: there was nothing to save). */
  savingsRatio: number | null;
  costSavedUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  lastEventAt: string | null;
}

export function tokensSaved(baseline: number, injected: number): number {
  return Math.max(0, baseline - injected);
}

/** One user's calls since a moment: counts from the per-user rollups, tokens and latency from their searches. */
function userStats(db: ReadDB, project: string, since: Date, userId: string): TelemetryStats {
  const sinceTs = isoTimestamp(since);
  const calls = db
    .prepare<
      [string, string, string],
      { calls: number | null; searches: number | null; errors: number | null; last: string | null }
    >(
      `SELECT SUM(calls) AS calls, SUM(searches) AS searches, SUM(errors) AS errors, MAX(last_call_at) AS last
       FROM user_rollup_daily WHERE project = ? AND user_id = ? AND day >= ?`,
    )
    .get(project, userId, sinceTs.slice(0, 10));
  const searches = db
    .prepare<[string, string, string], { injected: number | null; baseline: number | null; n: number }>(
      `SELECT SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline, COUNT(*) AS n FROM query_log
       WHERE project = ? AND user_id = ? AND ts >= ?`,
    )
    .get(project, userId, sinceTs) ?? { injected: 0, baseline: 0, n: 0 };
  const percentile = (q: number): number | null =>
    searches.n === 0
      ? null
      : (db
          .prepare<[string, string, string, number], { latency_ms: number }>(
            'SELECT latency_ms FROM query_log WHERE project = ? AND user_id = ? AND ts >= ? ORDER BY latency_ms LIMIT 1 OFFSET ?',
          )
          .get(project, userId, sinceTs, Math.min(searches.n - 1, Math.floor(q * searches.n)))?.latency_ms ?? null);
  const injected = searches.injected ?? 0;
  const baseline = searches.baseline ?? 0;
  const saved = tokensSaved(baseline, injected);
  return {
    project,
    since: sinceTs,
    calls: calls?.calls ?? 0,
    searches: calls?.searches ?? 0,
    errors: calls?.errors ?? 0,
    tokensInjected: injected,
    tokensBaseline: baseline,
    tokensSaved: saved,
    savingsRatio: baseline > 0 ? saved / baseline : null,
    costSavedUsd: (saved * USD_PER_MILLION_TOKENS) / 1_000_000,
    latencyP50Ms: percentile(0.5),
    latencyP95Ms: percentile(0.95),
    lastEventAt: calls?.last ?? null,
  };
}

/**
 * Telemetry totals since a moment; counts and tokens from `events`, percentiles from the rollups.
 * With a user, that user's calls only.
 */
export function telemetryStats(db: ReadDB, project: string, since: Date, userId: string | null = null): TelemetryStats {
  if (userId !== null && hasTable(db, 'user_rollup_daily')) return userStats(db, project, since, userId);
  const sinceTs = isoTimestamp(since);
  const totals = db
    .prepare<[string, string], { calls: number; injected: number | null; baseline: number | null; last: string | null }>(
      `SELECT COUNT(*) AS calls, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline, MAX(ts) AS last
       FROM events WHERE project = ? AND ts >= ?`,
    )
    .get(project, sinceTs) ?? { calls: 0, injected: 0, baseline: 0, last: null };
  // Our rollups start at the hour of `since`; a Python file's are built from the events since then.
  const rollups = callRollups(db, project, hasTable(db, 'call_rollup_hourly') ? hourBucket(since) : sinceTs, END_OF_TIME);
  const hist = emptyHistogram();
  let searches = 0;
  let errors = 0;
  for (const row of rollups) {
    searches += row.searches;
    errors += row.errors;
    mergeHistograms(hist, parseHistogram(row.latency_hist));
  }
  const injected = totals.injected ?? 0;
  const baseline = totals.baseline ?? 0;
  const saved = tokensSaved(baseline, injected);
  return {
    project,
    since: sinceTs,
    calls: totals.calls,
    searches,
    errors,
    tokensInjected: injected,
    tokensBaseline: baseline,
    tokensSaved: saved,
    savingsRatio: baseline > 0 ? saved / baseline : null,
    costSavedUsd: (saved * USD_PER_MILLION_TOKENS) / 1_000_000,
    latencyP50Ms: histogramQuantile(hist, 0.5),
    latencyP95Ms: histogramQuantile(hist, 0.95),
    lastEventAt: totals.last,
  };
}

export function formatStats(stats: TelemetryStats, graph: GraphCounts, days: number): string {
  const pct = stats.savingsRatio === null ? 'n/a' : `${(stats.savingsRatio * 100).toFixed(1)}%`;
  const ms = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
  return [
    `project            ${stats.project}`,
    `window             last ${days} day(s), since ${stats.since}`,
    `tool calls         ${stats.calls}`,
    `searches           ${stats.searches}`,
    `errors             ${stats.errors}`,
    `latency p50 / p95  ${ms(stats.latencyP50Ms)} / ${ms(stats.latencyP95Ms)}`,
    `tokens injected    ${stats.tokensInjected}`,
    `tokens baseline    ${stats.tokensBaseline}`,
    `tokens saved       ${stats.tokensSaved} (${pct})`,
    `cost saved         $${stats.costSavedUsd.toFixed(4)} at $${USD_PER_MILLION_TOKENS} per million tokens`,
    `last event         ${stats.lastEventAt ?? 'none yet'}`,
    `documents          ${graph.documents}`,
    `chunks             ${graph.chunks}`,
    `entities           ${graph.entities}`,
    `relations          ${graph.relations}`,
  ].join('\n');
}
