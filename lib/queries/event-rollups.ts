import type { CallRollupRow } from '../charts/call-rollups';
import { LATENCY_BIN_UPPER_MS } from '../store/latency-bins';
import type { DB } from '../store/open-writer';
import { isSearchTool } from '../store/search-tools';

/** SQL that maps latency_ms to its histogram bin, the same bins the writer's rollups use. */
const BIN_SQL = `CASE ${LATENCY_BIN_UPPER_MS.slice(0, -1)
  .map((upper, index) => `WHEN latency_ms <= ${upper} THEN ${index}`)
  .join(' ')} ELSE ${LATENCY_BIN_UPPER_MS.length - 1} END`;

/**
 * Hourly call rollups built from the raw `events` table, for a Python HydraMem metrics.db, which has
 * no rollups. SQLite does the grouping (per hour, tool and latency bin), so only a few thousand
 * rows reach JavaScript whatever the number of events.
 */
export function eventRollups(db: DB, project: string, from: string, to: string): CallRollupRow[] {
  const rows = db
    .prepare<
      [string, string, string],
      { hour: string; tool: string; bin: number; calls: number; injected: number; baseline: number }
    >(
      `SELECT substr(ts, 1, 13) AS hour, COALESCE(tool_name, 'unknown') AS tool, ${BIN_SQL} AS bin, COUNT(*) AS calls,
         SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline
       FROM events WHERE project = ? AND ts >= ? AND ts < ? GROUP BY hour, tool, bin`,
    )
    .all(project, from, to);
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
    rollup.searches += isSearchTool(row.tool) ? row.calls : 0;
    rollup.tokens_injected += row.injected ?? 0;
    rollup.tokens_baseline += row.baseline ?? 0;
    rollup.hist[row.bin] = (rollup.hist[row.bin] ?? 0) + row.calls;
  }
  return [...byKey.values()].map(({ hist, ...rollup }) => ({ ...rollup, latency_hist: JSON.stringify(hist) }));
}
