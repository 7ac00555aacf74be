import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../lib/request/range';
import { dashboardReader, makeTenant, openEngine, query, type Tenant } from './helpers';

// A window that ends in the hour the writer is recording: its calls, counted by the test's own SQL
// over the raw rows, whether the dashboard reads that hour from the rollup (no later call) or from
// the raw events (a call after the window's end).
let tenant: Tenant;
const metricsFile = () => path.join(tenant.dataDir, 'metrics.db');
const iso = (at: string) => new Date(at).toISOString().replace('Z', '000+00:00');

/** Calls at `at` minutes past 10:00 on 20 Nov 2026, and a few in the hours before. */
const MINUTES = [3, 11, 17, 26, 34, 41, 48];

beforeAll(() => {
  tenant = makeTenant('edge');
  const engine = openEngine(tenant);
  const record = (at: Date, index: number) =>
    engine.recorder.recordCall({
      at,
      tool: index % 3 === 0 ? 'remember' : 'hydra_search_tool',
      sessionId: null,
      latencyMs: 2 + index * 7,
      tokensInjected: 10 * index,
      tokensBaseline: 100 + index,
      chunksTotal: 1,
      metadata: {},
      error: index === 4 ? 'timed out' : null,
      query:
        index % 3 === 0
          ? undefined
          : {
              userId: null,
              memoryId: null,
              query: `q${index}`,
              resultCount: index % 2,
              topScore: null,
              chunkIds: [],
              entityIds: [],
            },
    });
  MINUTES.forEach((minute, index) => record(new Date(Date.UTC(2026, 10, 20, 10, minute, 30)), index));
  [7, 8, 9].forEach((hour, index) => record(new Date(Date.UTC(2026, 10, 20, hour, 20)), index + 10));
  engine.recorder.flush();
  engine.close();
});

afterAll(() => undefined);

function rawTotals(from: string, to: string) {
  const [row] = query<{ calls: number; injected: number; baseline: number }>(
    metricsFile(),
    "SELECT COUNT(*) AS calls, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = 'edge' AND ts >= ? AND ts < ?",
    from,
    to,
  );
  const [zero] = query<{ n: number }>(
    metricsFile(),
    "SELECT COUNT(*) AS n FROM query_log WHERE project = 'edge' AND ts >= ? AND ts < ? AND result_count = 0 AND status = 'ok'",
    from,
    to,
  );
  const [errors] = query<{ n: number }>(
    metricsFile(),
    "SELECT COUNT(*) AS n FROM events WHERE project = 'edge' AND ts >= ? AND ts < ? AND json_extract(metadata_json, '$.error') IS NOT NULL",
    from,
    to,
  );
  return {
    calls: row?.calls ?? 0,
    tokensSaved: Math.max(0, (row?.baseline ?? 0) - (row?.injected ?? 0)),
    zero: zero?.n,
    errors: errors?.n,
  };
}

describe("a window's calls in the hour being recorded", () => {
  for (const [label, from, to] of [
    ['no call after its end: the hour from the rollup', '2026-11-20T07:40:00Z', '2026-11-20T10:50:00Z'],
    ['calls after its end: the hour from the raw events', '2026-11-20T07:40:00Z', '2026-11-20T10:30:00Z'],
    ['ending on the last call itself', '2026-11-20T08:05:00Z', '2026-11-20T10:48:30Z'],
  ] as const) {
    it(label, () => {
      const range = parseRange({ from, to }, new Date(to));
      const activity = dashboardReader(tenant, range)('callActivity');
      const expected = rawTotals(iso(from), iso(to));
      expect(expected.calls).toBeGreaterThan(3);
      expect(activity.current.calls).toBe(expected.calls);
      expect(activity.current.tokensSaved).toBe(expected.tokensSaved);
      expect(activity.current.zeroResults).toBe(expected.zero);
      expect(activity.current.errors).toBe(expected.errors);
    });
  }
});
