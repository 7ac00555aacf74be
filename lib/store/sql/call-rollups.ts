import { LATENCY_BIN_UPPER_MS } from '../latency-bins';
import { hasTable } from '../open-readonly';
import type { ReadDB } from '../read-db';
import { isSearchTool } from '../search-tools';

/** One row of call_rollup_hourly: one project's calls of one tool in one UTC hour. */
export interface CallRollupRow {
  hour: string;
  tool: string;
  calls: number;
  errors: number;
  searches: number;
  zero_results: number;
  /** JSON array of counts per LATENCY_BIN_UPPER_MS bin. */
  latency_hist: string;
  tokens_injected: number;
  tokens_baseline: number;
}

/** SQL that maps latency_ms to its histogram bin, the same bins the writer's rollups use. */
const BIN_SQL = `CASE ${LATENCY_BIN_UPPER_MS.slice(0, -1)
  .map((upper, index) => `WHEN latency_ms <= ${upper} THEN ${index}`)
  .join(' ')} ELSE ${LATENCY_BIN_UPPER_MS.length - 1} END`;

/** Our writer puts a failed call's message in metadata_json.error; the Python HydraMem never does. */
const ERROR_SQL = "CASE WHEN json_valid(metadata_json) AND json_extract(metadata_json, '$.error') IS NOT NULL THEN 1 ELSE 0 END";

const toolFilter = (tools: readonly string[] | undefined, column: string): string =>
  tools ? ` AND ${column} IN (${tools.map(() => '?').join(',')})` : '';

/**
 * Hourly rollups from the raw `events` table, for a Python HydraMem metrics.db, which keeps no
 * rollups. SQLite groups per hour, tool and latency bin, so a few thousand rows reach JavaScript
 * whatever the number of events. Python records no call status: its errors are 0; zero results are
 * not in `events` (0 here: see zeroResultSearches).
 */
export function eventRollups(db: ReadDB, project: string, from: string, to: string, tools?: readonly string[]): CallRollupRow[] {
  const rows = db
    .prepare<
      unknown[],
      { hour: string; tool: string; bin: number; calls: number; errors: number; injected: number; baseline: number }
    >(
      `SELECT substr(ts, 1, 13) AS hour, COALESCE(tool_name, 'unknown') AS tool, ${BIN_SQL} AS bin, COUNT(*) AS calls,
         SUM(${ERROR_SQL}) AS errors, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline
       FROM events WHERE project = ? AND ts >= ? AND ts < ?${toolFilter(tools, "COALESCE(tool_name, 'unknown')")}
       GROUP BY hour, tool, bin`,
    )
    .all(project, from, to, ...(tools ?? []));
  const byKey = new Map<string, CallRollupRow & { hist: number[] }>();
  for (const row of rows) {
    const key = `${row.hour}\u0000${row.tool}`;
    let rollup = byKey.get(key);
    if (!rollup) {
      rollup = {
        hour: `${row.hour}:00:00.000000+00:00`,
        tool: row.tool,
        calls: 0,
        errors: 0,
        searches: 0,
        zero_results: 0,
        latency_hist: '',
        tokens_injected: 0,
        tokens_baseline: 0,
        hist: LATENCY_BIN_UPPER_MS.map(() => 0),
      };
      byKey.set(key, rollup);
    }
    rollup.calls += row.calls;
    rollup.errors += row.errors ?? 0;
    rollup.searches += isSearchTool(row.tool) ? row.calls : 0;
    rollup.tokens_injected += row.injected ?? 0;
    rollup.tokens_baseline += row.baseline ?? 0;
    rollup.hist[row.bin] = (rollup.hist[row.bin] ?? 0) + row.calls;
  }
  return [...byKey.values()].map(({ hist, ...rollup }) => ({ ...rollup, latency_hist: JSON.stringify(hist) }));
}

/**
 * A project's hourly call rollups with `hour` in [from, to) (stored timestamps), optionally for
 * some tools only: the writer's rollup table, or the same rows built from a Python file's events.
 */
export function callRollups(db: ReadDB, project: string, from: string, to: string, tools?: readonly string[]): CallRollupRow[] {
  if (!hasTable(db, 'call_rollup_hourly')) return eventRollups(db, project, from, to, tools);
  return db
    .prepare<unknown[], CallRollupRow>(
      `SELECT hour, tool, calls, errors, searches, zero_results, latency_hist, tokens_injected, tokens_baseline
       FROM call_rollup_hourly WHERE project = ? AND hour >= ? AND hour < ?${toolFilter(tools, 'tool')}`,
    )
    .all(project, from, to, ...(tools ?? []));
}

/** Searches in [from, to) that found nothing, from our query log (a Python file has none: 0). */
export function zeroResultSearches(db: ReadDB, project: string, from: string, to: string): number {
  if (!hasTable(db, 'query_log')) return 0;
  return (
    db
      .prepare<[string, string, string], { n: number }>(
        "SELECT COUNT(*) AS n FROM query_log WHERE project = ? AND ts >= ? AND ts < ? AND result_count = 0 AND status = 'ok'",
      )
      .get(project, from, to)?.n ?? 0
  );
}
