import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { makeTenant, openEngine, query, writeFile, type Tenant } from './helpers';

let engine: Engine | null = null;
let tenant: Tenant;

afterEach(() => {
  engine?.close();
  engine = null;
});

function metrics<T>(sql: string, ...params: unknown[]): T[] {
  return query<T>(path.join(tenant.dataDir, 'metrics.db'), sql, ...params);
}

describe('telemetry', () => {
  it('writes one event and one query_log row per search, batched, with rollups that match the raw rows', () => {
    tenant = makeTenant('tele');
    writeFile(tenant.kms, 'a.md', '# Alpha\n\nThe [[Orbit Planner]] schedules passes.\n');
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const hour = Date.UTC(2026, 10, 20, 14, 0, 0);
    for (let i = 0; i < 30; i++) {
      engine.search({
        query: i % 3 === 0 ? 'zzzz nothing' : 'orbit planner passes',
        at: new Date(hour + i * 60_000),
        sessionId: `s${i % 4}`,
      });
    }
    expect(metrics('SELECT 1 FROM events')).toHaveLength(0); // still queued: writes are batched
    engine.recorder.flush();

    const events = metrics<{ n: number; injected: number; baseline: number }>(
      "SELECT COUNT(*) AS n, SUM(tokens_injected) AS injected, SUM(tokens_baseline) AS baseline FROM events WHERE project = 'tele'",
    );
    expect(events[0]?.n).toBe(30);
    const log = metrics<{ n: number; zero: number }>(
      "SELECT COUNT(*) AS n, SUM(result_count = 0) AS zero FROM query_log WHERE project = 'tele'",
    );
    expect(log[0]).toEqual({ n: 30, zero: 10 });
    const rollup = metrics<{
      hour: string;
      calls: number;
      searches: number;
      zero_results: number;
      tokens_injected: number;
      tokens_baseline: number;
      latency_hist: string;
    }>('SELECT * FROM call_rollup_hourly');
    expect(rollup).toHaveLength(1);
    expect(rollup[0]).toMatchObject({
      hour: '2026-11-20T14:00:00.000000+00:00',
      calls: 30,
      searches: 30,
      zero_results: 10,
      tokens_injected: events[0]?.injected,
      tokens_baseline: events[0]?.baseline,
    });
    expect((JSON.parse(rollup[0]?.latency_hist ?? '[]') as number[]).reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('never fails a tool call when telemetry cannot be written', () => {
    tenant = makeTenant();
    writeFile(tenant.kms, 'a.md', '# Alpha\n\nText about comets.\n');
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    engine.metricsDb.exec('DROP TABLE query_log'); // the next flush fails inside its transaction
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string) => errors.push(String(text)) > 0) as typeof process.stderr.write;
    try {
      expect(engine.search({ query: 'comets' }).results).toHaveLength(1);
      expect(() => engine?.recorder.flush()).not.toThrow();
    } finally {
      process.stderr.write = write;
    }
    expect(engine.recorder.dropped).toBe(1);
    expect(errors.join('')).toMatch(/telemetry write failed, 1 record\(s\) dropped/);
    expect(metrics('SELECT 1 FROM events')).toHaveLength(0); // all or nothing: no half-written batch
  });

  it('computes stats with the Python formula, and an empty window does not crash', () => {
    tenant = makeTenant('stats');
    engine = openEngine(tenant);
    const empty = engine.stats(7).telemetry;
    expect(empty).toMatchObject({ calls: 0, tokensSaved: 0, savingsRatio: null, latencyP50Ms: null });
    engine.recorder.recordCall({
      at: new Date(),
      tool: 'hydra_search_tool',
      sessionId: null,
      latencyMs: 5,
      tokensInjected: 300,
      tokensBaseline: 1000,
      chunksTotal: 3,
      metadata: {},
      error: null,
    });
    engine.recorder.recordCall({
      at: new Date(),
      tool: 'hydra_search_tool',
      sessionId: null,
      latencyMs: 5,
      tokensInjected: 900,
      tokensBaseline: 400,
      chunksTotal: 3,
      metadata: {},
      error: null,
    });
    const stats = engine.stats(7).telemetry;
    // saved = max(0, (1000 + 400) - (300 + 900)) = 200; 200 / 1400; $5 per million tokens.
    expect(stats.tokensSaved).toBe(200);
    expect(stats.savingsRatio).toBeCloseTo(200 / 1400);
    expect(stats.costSavedUsd).toBeCloseTo(0.001);
  });
});
