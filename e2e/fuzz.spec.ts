import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { fuzzRequests, runFuzz, STACK_TRACE, type FuzzResponse } from './reliability/fuzz';
import { addRivalProject, buildDemoTenant, RIVAL_SECRET, snapshotDir, sql, startDashboard } from './tenant';

// A few thousand requests here; `npm run test:fuzz` sends 50,000 (HYDRAMEM_FUZZ_REQUESTS), any seed.
const REQUESTS = Number(process.env.HYDRAMEM_FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.HYDRAMEM_FUZZ_SEED ?? 20261201);
/** What the dashboard may answer: never a 5xx but 503 (a store or read it explains), never a stack trace. */
const EXPECTED = new Set([200, 204, 302, 303, 307, 308, 400, 401, 403, 404, 405, 414, 503]);

test('a seeded fuzz of every page and route: no 500, no stack trace, no other project’s rows, no store touched', async () => {
  test.setTimeout(Math.max(300_000, REQUESTS * 200));
  const tenant = buildDemoTenant('kestrel');
  const rival = addRivalProject(tenant.dataDir);
  const graph = path.join(tenant.dataDir, 'graph.db');
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const target = {
    entityIds: sql<{ id: string }>(graph, "SELECT id FROM entities WHERE project = 'kestrel' LIMIT 20").map((row) => row.id),
    queryIds: sql<{ id: number }>(metrics, "SELECT id FROM query_log WHERE project = 'kestrel' LIMIT 20").map((row) => row.id),
    userIds: sql<{ identifier: string }>(graph, "SELECT identifier FROM users WHERE project = 'kestrel'").map(
      (row) => row.identifier,
    ),
    rival,
  };
  const before = snapshotDir(tenant.dataDir);
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  const fail = (response: FuzzResponse, why: string) =>
    failures.push(`${response.method} ${response.path.slice(0, 160)} → ${response.status}: ${why}`);
  try {
    await runFuzz(
      dashboard.port,
      fuzzRequests(SEED, REQUESTS, target),
      (response) => {
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (!EXPECTED.has(response.status)) fail(response, 'unexpected status');
        if (STACK_TRACE.test(response.body)) fail(response, 'a stack trace in the body');
        if (response.body.includes(RIVAL_SECRET)) fail(response, 'another project’s rows');
        if (response.status === 405 && !response.headers.allow) fail(response, '405 without Allow');
      },
      (request, error) => failures.push(`${request.method} ${request.path.slice(0, 160)} → no answer: ${error.message}`),
    );
  } finally {
    await dashboard.stop();
  }
  const summary = [...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status}: ${n}`);
  const line = `${REQUESTS} requests, seed ${SEED}; ${summary.join(', ')}`;
  test.info().annotations.push({ type: 'fuzz', description: line });
  console.log(`fuzz: ${line}`);
  expect(failures.slice(0, 20), `${failures.length} of ${REQUESTS} requests failed`).toEqual([]);
  // Every request was logged, and nothing but the start line and access log was written.
  expect(dashboard.accessLog()).toHaveLength(REQUESTS);
  expect(dashboard.errorOutput()).not.toMatch(STACK_TRACE);
  expect(dashboard.errorOutput()).not.toMatch(/request failed|Error:/);
  expect(snapshotDir(tenant.dataDir)).toEqual(before);
  fs.rmSync(tenant.dataDir, { recursive: true, force: true });
});
