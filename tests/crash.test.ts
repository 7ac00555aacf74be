import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/engine/demo/random';
import { readLock } from '../lib/engine/lock';
import { connectHttp, createApiKey, makeTenant, query, startHttpWriter, stopProcess, writeFile } from './helpers';

const CYCLES = 50;
const IN_FLIGHT = 4;
const SEED = 0x5eed_c0de;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function integrity(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

interface CycleOutcome {
  acknowledged: string[];
  refused: number;
  lost: number;
}

/** Keeps IN_FLIGHT `remember` calls going until `stop` is set; only answers without isError count as acknowledged. */
function writeUntilStopped(client: Client, cycle: number): { stop(): Promise<CycleOutcome> } {
  const outcome: CycleOutcome = { acknowledged: [], refused: 0, lost: 0 };
  const pending = new Set<Promise<void>>();
  let running = true;
  let next = 0;
  const fire = (): void => {
    const text = `Crash drill cycle ${cycle} write ${next++}: the ledger checkpoint c${cycle}w${next - 1} was written.`;
    const call = client
      .callTool({ name: 'remember', arguments: { text } }, undefined, { timeout: 10_000 })
      .then(
        (answer) => {
          if (answer.isError) outcome.refused += 1;
          else outcome.acknowledged.push(text);
        },
        () => {
          outcome.lost += 1; // the writer died before it answered: expected, and not acknowledged
        },
      )
      .finally(() => {
        pending.delete(call);
        if (running) fire();
      });
    pending.add(call);
  };
  for (let i = 0; i < IN_FLIGHT; i++) fire();
  return {
    async stop() {
      running = false;
      while (pending.size > 0) await Promise.allSettled([...pending]);
      return outcome;
    },
  };
}

describe('a writer killed with SIGKILL mid-write', () => {
  it(`loses no acknowledged write and leaves both stores intact over ${CYCLES} kills`, async () => {
    // The drill is about the stores' transactions: without the dense arm each of the 50 starts does not
    // spend a second reading word vectors, which would leave the writer little time to be killed mid-write.
    const tenant = makeTenant('crash', { HYDRAMEM_DENSE: 'off' });
    writeFile(tenant.kms, 'runbook.md', '# Ledger Runbook\n\nThe [[Ledger]] is checkpointed nightly.\n');
    const { key } = createApiKey(tenant);
    const random = seededRandom(SEED);
    const acknowledged: string[] = [];
    let lost = 0;
    let refused = 0;
    let clientErrors = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      // Taking over the lock the last killed writer left is part of what is tested here.
      const { writer, port } = await startHttpWriter(tenant);
      expect(readLock(tenant.dataDir)?.pid).toBe(writer.pid);
      const client = await connectHttp(port, key);
      client.onerror = () => void (clientErrors += 1);
      const writes = writeUntilStopped(client, cycle);
      await sleep(50 + Math.floor(random() * 251));
      await stopProcess(writer, 'SIGKILL');
      const outcome = await writes.stop();
      await client.close().catch(() => undefined);
      acknowledged.push(...outcome.acknowledged);
      lost += outcome.lost;
      refused += outcome.refused;
    }

    console.log(
      `${CYCLES} SIGKILL cycles: ${acknowledged.length} acknowledged writes, ${lost} cut off by the kill, ` +
        `${refused} refused, ${clientErrors} client transport errors`,
    );
    expect(refused).toBe(0);
    expect(acknowledged.length).toBeGreaterThan(CYCLES);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);

    const graphDb = path.join(tenant.dataDir, 'graph.db');
    const metricsDb = path.join(tenant.dataDir, 'metrics.db');
    expect(integrity(graphDb)).toEqual(['ok']);
    expect(integrity(metricsDb)).toEqual(['ok']);

    const stored = new Set(
      query<{ text: string }>(
        graphDb,
        "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.source = 'remember'",
      ).map((row) => row.text.trim()),
    );
    const missing = acknowledged.filter((text) => !stored.has(text));
    expect(missing).toEqual([]);
    // Each memory is all or nothing: no document the kill left without its chunks.
    expect(
      query(
        graphDb,
        "SELECT d.id FROM documents d WHERE d.source = 'remember' AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.doc_id = d.id)",
      ),
    ).toEqual([]);
    expect(query(graphDb, "SELECT 1 FROM documents WHERE path = 'runbook.md'")).toHaveLength(1);
  }, 180_000);
});
