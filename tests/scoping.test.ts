import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { makeTenant, openEngine, PYTHON_EVENTS_DDL, runCli, writeFile, type Tenant } from './helpers';

let engine: Engine | null = null;
let tenant: Tenant;

afterEach(() => {
  engine?.close();
  engine = null;
});

describe('user and memory scoping', () => {
  it("shows a user their own memories and the shared notes, never another user's", () => {
    tenant = makeTenant();
    writeFile(tenant.kms, 'shared.md', '# Espresso Machine\n\nThe office espresso machine is descaled on Fridays.\n');
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    engine.remember({ text: 'Alice takes her espresso with oat milk.', userId: 'alice', memoryId: 'chat' }, 'test');
    engine.remember({ text: 'Bob dislikes espresso entirely.', userId: 'bob', memoryId: 'chat' }, 'test');

    const texts = (userId: string | null, memoryId: string | null = null) =>
      engine
        ?.search({ query: 'espresso', userId, memoryId, limit: 20 })
        .results.map((hit) => hit.text)
        .sort() ?? [];
    const alice = texts('alice', 'chat').join('|');
    expect(alice).toContain('Alice takes');
    expect(alice).toContain('office espresso');
    expect(texts('alice', 'chat').join()).not.toMatch(/Bob/);
    expect(texts('bob', 'chat').join()).not.toMatch(/Alice/);
    expect(texts(null)).toEqual([expect.stringContaining('office espresso')]);
    expect(texts('alice', 'work')).toEqual([expect.stringContaining('office espresso')]); // another memory context
  });
});

describe('stats on a Python HydraMem data directory', () => {
  it('reads a metrics.db that only has the Python events table, shared by two projects', () => {
    tenant = makeTenant('alice');
    fs.mkdirSync(tenant.dataDir, { recursive: true });
    const db = new Database(path.join(tenant.dataDir, 'metrics.db'));
    db.exec(PYTHON_EVENTS_DDL);
    const insert = db.prepare(
      'INSERT INTO events (ts, project, tool_name, tokens_injected, tokens_baseline, latency_ms) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const ts = new Date(Date.now() - 3_600_000).toISOString().replace('Z', '000+00:00');
    insert.run(ts, 'alice', 'hydra_search_tool', 100, 1000, 12);
    insert.run(ts, 'alice', 'ingest_markdown', 0, 0, 40);
    insert.run(ts, 'bob', 'hydra_search_tool', 5, 999999, 7);
    db.close();
    // graph.db belongs to our writer: an empty one of ours beside the Python telemetry file.
    fs.copyFileSync(path.join(emptyGraphDir(), 'graph.db'), path.join(tenant.dataDir, 'graph.db'));
    const result = runCli(['stats', '--json'], tenant.env);
    expect(result.stderr).toBe('');
    const stats = JSON.parse(result.stdout).telemetry;
    expect(stats).toMatchObject({ calls: 2, searches: 1, tokensInjected: 100, tokensBaseline: 1000, tokensSaved: 900 });
  });
});

function emptyGraphDir(): string {
  const fresh = makeTenant('alice');
  openEngine(fresh).close();
  return fresh.dataDir;
}
