/**
 * What the quality benchmarks share: a throwaway tenant whose notes are ingested by the real
 * writer engine, a read-only look at its graph.db, the shared-scope SQL parameters, and a main
 * wrapper that reports a failure in one line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphDbPath, loadConfig } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import type { IngestSummary } from '../lib/engine/ingest/ingest';
import { openStoreReadOnly } from '../lib/store/open-readonly';
import type { DB } from '../lib/store/open-writer';
import { scopeParams } from '../lib/store/scope';

export const BENCH_PROJECT = 'bench';

/** The benchmarks read as a caller without a user: the shared notes only. */
export const SHARED_READER = scopeParams({ userId: null, memoryId: null });

export interface BenchTenant {
  engine: Engine;
  /** A second, read-only connection to the tenant's graph.db, for the bench's own SQL. */
  graph: DB;
  ingest: IngestSummary;
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Ingests `knowledgeDir` into a tenant in a fresh temporary data directory, runs `measure` on it, and
 * removes the directory afterwards whatever happens. The notes folder is only read.
 */
export function withBenchTenant<T>(knowledgeDir: string, measure: (tenant: BenchTenant) => T): T {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-'));
  const config = loadConfig({
    HYDRAMEM_DATA_DIR: dataDir,
    HYDRAMEM_PROJECT: BENCH_PROJECT,
    KNOWLEDGE_DIR: knowledgeDir,
    HYDRAMEM_WATCH: '0',
  });
  let engine: Engine | null = null;
  let graph: DB | null = null;
  try {
    engine = Engine.open(config, { command: 'bench' });
    const ingest = engine.ingest(knowledgeDir, { source: 'bench', recordUnchanged: false });
    if (ingest.problems.length > 0) {
      const first = ingest.problems[0];
      throw new Error(`${ingest.problems.length} note(s) not ingested, e.g. ${first?.path}: ${first?.reason}`);
    }
    graph = openStoreReadOnly('graph', graphDbPath(config)).db;
    return measure({ engine, graph, ingest });
  } finally {
    graph?.close();
    engine?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs a bench's main; a failure is one line on stderr and exit code 1. */
export function runBench(name: string, main: () => void): void {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${name} bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** Prints rows as aligned columns under a header row. */
export function printColumns(rows: readonly (readonly string[])[]): void {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows) console.log(`  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
}

export const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
export const fixed3 = (value: number): string => value.toFixed(3);
