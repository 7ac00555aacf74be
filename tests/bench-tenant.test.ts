/**
 * The bench's fast tenant builder against the writer's recorder, call by call: the same seeded calls
 * must leave the same rows, rollups, indexes and text index in metrics.db.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEventTenant } from '../bench/dashboard-tenant';

const CALLS = 3_000;
const NOW = Date.parse('2026-11-20T12:34:56Z');

type Row = Record<string, unknown>;

let slow: Database.Database;
let fast: Database.Database;
const dirs: string[] = [];

function open(fastPath: boolean): Database.Database {
  const dir = buildEventTenant(CALLS, { now: NOW, fast: fastPath });
  dirs.push(dir);
  return new Database(path.join(dir, 'metrics.db'));
}

const rows = (db: Database.Database, sql: string): Row[] => db.prepare<[], Row>(sql).all();

beforeAll(() => {
  slow = open(false);
  fast = open(true);
}, 120_000);

afterAll(() => {
  slow.close();
  fast.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the fast tenant builder', () => {
  it('writes the same events and query log rows as the recorder', () => {
    // The synthetic calls lie in the 90 days before NOW; the ingest's own rows are at the real time.
    const synthetic = `ts < '2026-11-21'`;
    const events = `SELECT * FROM events WHERE ${synthetic} ORDER BY id`;
    const log = `SELECT * FROM query_log WHERE ${synthetic} ORDER BY id`;
    const slowEvents = rows(slow, events);
    expect(slowEvents).toHaveLength(CALLS);
    expect(rows(fast, events)).toEqual(slowEvents);
    const slowLog = rows(slow, log);
    expect(slowLog.length).toBeGreaterThan(CALLS * 0.7);
    expect(rows(fast, log)).toEqual(slowLog);
  });

  it('leaves the same rollups (latency sums to float rounding)', () => {
    const calls = `SELECT * FROM call_rollup_hourly WHERE hour < '2026-11-21' ORDER BY project, hour, tool`;
    const slowRollup = rows(slow, calls);
    const fastRollup = rows(fast, calls);
    expect(slowRollup.reduce((sum, row) => sum + Number(row.calls), 0)).toBe(CALLS);
    expect(fastRollup).toHaveLength(slowRollup.length);
    fastRollup.forEach((row, index) => {
      const { latency_sum_ms: fastSum, ...fastRest } = row;
      const { latency_sum_ms: slowSum, ...slowRest } = slowRollup[index] ?? {};
      expect(fastRest).toEqual(slowRest);
      expect(Number(fastSum)).toBeCloseTo(Number(slowSum), 6);
    });
    const users = `SELECT * FROM user_rollup_daily ORDER BY project, user_id, day`;
    expect(rows(fast, users)).toEqual(rows(slow, users));
  });

  it('ends with every index and trigger of the schema, each consistent with its table', () => {
    const schema = `SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name`;
    expect(rows(fast, schema)).toEqual(rows(slow, schema));
    expect(fast.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(() => fast.exec(`INSERT INTO query_log_text(query_log_text) VALUES ('integrity-check')`)).not.toThrow();
  });

  it('answers the text index the same way', () => {
    for (const text of ['bus', 'owns the', 'xqzv', 'latency']) {
      const sql = `SELECT rowid FROM query_log_text WHERE query LIKE '%${text}%' ORDER BY rowid`;
      const expected = rows(slow, `SELECT id AS rowid FROM query_log WHERE query LIKE '%${text}%' ORDER BY id`);
      expect(rows(fast, sql)).toEqual(expected);
      expect(rows(slow, sql)).toEqual(expected);
    }
  });
});
