import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { withStdioClient } from './stdio-client';
import {
  freePort,
  makeTenant,
  query,
  runCli,
  startCli,
  startHttpWriter,
  stopProcess,
  waitFor,
  waitForStderr,
  writeFile,
  type Tenant,
} from './helpers';

const NOTES: Record<string, string> = {
  'ledger.md':
    '---\ntitle: Ledger Service\ntype: service\nowner: "[[Nadia Kim]]"\n---\n# Ledger Service\n\nThe ledger reconciles payments nightly with `reconcile_job`.\n',
  'nadia.md':
    '---\ntitle: Nadia Kim\ntype: person\n---\n# Nadia Kim\n\nNadia runs the [[Ledger Service]] and the close process.\n',
};

function seed(tenant: Tenant): void {
  for (const [file, text] of Object.entries(NOTES)) writeFile(tenant.kms, file, text);
}

interface EventRow {
  tool_name: string;
  project: string;
  session_id: string | null;
  metadata_json: string;
  tokens_injected: number;
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const first = (result.content as Array<{ type: string; text?: string }>)[0];
  return first?.text ?? '';
}

async function exerciseTools(client: Client): Promise<void> {
  const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
  expect(tools).toEqual([
    'add_preference',
    'check_conflict_tool',
    'create_relation',
    'delete_relation',
    'expand_context_tool',
    'export_graph',
    'get_entity_neighbors_tool',
    'get_full_document_tool',
    'get_garden_status_tool',
    'get_preferences_for',
    'graph_only_search_tool',
    'hydra_search_tool',
    'hydramem_stats_tool',
    'import_graph',
    'ingest_directory_tool',
    'ingest_markdown',
    'ingest_prechunked',
    'list_entities_tool',
    'priming_context_tool',
    'query_entity_relations',
    'remember',
    'run_night_gardener',
    'submit_session_extraction',
    'supersede_preference',
    'trace_path_tool',
    'train_gnn_tool',
    'upsert_user',
    'verify_relation_tool',
  ]);

  const search = JSON.parse(
    textOf(await client.callTool({ name: 'hydra_search_tool', arguments: { query: 'who runs the Ledger Service' } })),
  );
  expect(search.results[0].source).toMatch(/ledger\.md|nadia\.md/);
  expect(search.seeds.map((seed: { name: string }) => seed.name)).toContain('Ledger Service');

  const junk = JSON.parse(textOf(await client.callTool({ name: 'hydra_search_tool', arguments: { query: '?!#' } })));
  expect(junk.results).toEqual([]);

  const remembered = JSON.parse(
    textOf(
      await client.callTool({
        name: 'remember',
        arguments: { text: 'Nadia prefers reconciliation reports as CSV.', user_id: 'nadia', memory_id: 'chat' },
      }),
    ),
  );
  expect(remembered.ok).toBe(1);

  const ingested = JSON.parse(textOf(await client.callTool({ name: 'ingest_markdown', arguments: { path: 'ledger.md' } })));
  expect(ingested.unchanged).toBe(1);
  const outside = await client.callTool({ name: 'ingest_directory_tool', arguments: { path: '../..' } });
  expect(outside.isError).toBe(true);
  expect(textOf(outside)).toMatch(/outside the knowledge folder/);

  const neighbours = JSON.parse(
    textOf(await client.callTool({ name: 'get_entity_neighbors_tool', arguments: { entity: 'Nadia Kim' } })),
  );
  expect(neighbours.neighbours.map((n: { name: string }) => n.name)).toContain('Ledger Service');

  const listed = JSON.parse(textOf(await client.callTool({ name: 'list_entities_tool', arguments: { type: 'person' } })));
  expect(listed.items.map((e: { name: string }) => e.name)).toEqual(['Nadia Kim']);
  // Without a user the shared notes only; Nadia sees her memory too.
  const stats = JSON.parse(textOf(await client.callTool({ name: 'hydramem_stats_tool', arguments: {} })));
  expect(stats.graph.documents).toBe(2);
  const nadia = JSON.parse(textOf(await client.callTool({ name: 'hydramem_stats_tool', arguments: { user_id: 'nadia' } })));
  expect(nadia.graph.documents).toBe(3);
}

/** Events the tools above must have written: one per logged call, none for listing and status tools. */
function expectTelemetry(tenant: Tenant, sessionPattern: RegExp): void {
  const metrics = path.join(tenant.dataDir, 'metrics.db');
  const events = query<EventRow>(
    metrics,
    'SELECT tool_name, project, session_id, metadata_json, tokens_injected FROM events ORDER BY id',
  );
  expect(events.map((e) => e.tool_name)).toEqual([
    'hydra_search_tool',
    'hydra_search_tool',
    'remember',
    'ingest_markdown',
    'ingest_directory_tool',
    'get_entity_neighbors_tool',
  ]);
  for (const event of events) {
    expect(event.project).toBe(tenant.project);
    expect(event.session_id).toMatch(sessionPattern);
  }
  expect(JSON.parse(events[0]?.metadata_json ?? '{}').planner).toBe('bm25+graph+dense');
  expect(events[0]?.tokens_injected).toBeGreaterThan(0);
  expect(JSON.parse(events[4]?.metadata_json ?? '{}').error).toMatch(/outside the knowledge folder/);

  const queries = query<{ query: string; result_count: number; status: string; project: string }>(
    metrics,
    'SELECT query, result_count, status, project FROM query_log ORDER BY id',
  );
  expect(queries).toEqual([
    { query: 'who runs the Ledger Service', result_count: expect.any(Number), status: 'ok', project: tenant.project },
    { query: '?!#', result_count: 0, status: 'ok', project: tenant.project },
  ]);
  expect(queries[0]?.result_count).toBeGreaterThan(0);
  const rollup = query<{ calls: number; searches: number; zero: number; errors: number }>(
    metrics,
    'SELECT SUM(calls) AS calls, SUM(searches) AS searches, SUM(zero_results) AS zero, SUM(errors) AS errors FROM call_rollup_hourly WHERE project = ?',
    tenant.project,
  );
  expect(rollup).toEqual([{ calls: 6, searches: 2, zero: 1, errors: 1 }]);
  const ingestRuns = query<{ path: string; source: string }>(
    metrics,
    "SELECT path, source FROM ingest_runs WHERE source = 'mcp' ORDER BY id",
  );
  expect(ingestRuns.map((r) => r.path)).toEqual([expect.stringMatching(/^memory\//), 'ledger.md']);
}

describe('MCP server', () => {
  it('answers every tool over stdio and logs one event per logged call', async () => {
    const tenant = makeTenant('stdio-tenant');
    seed(tenant);
    // The writer stops when its stdio client leaves, flushing telemetry.
    await withStdioClient(tenant, 'test', exerciseTools);
    expectTelemetry(tenant, /^stdio-/);
  });

  it('answers every tool over Streamable HTTP, and the CLI goes through the running writer', async () => {
    const tenant = makeTenant('http-tenant');
    seed(tenant);
    const port = await freePort();
    const created = runCli(['keys', 'create', '--env', 'test', '--scopes', 'memory:*', '--json'], tenant.env);
    expect(created.code).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const writer = startCli(['serve'], { ...tenant.env, HYDRAMEM_TRANSPORT: 'http', MCP_PORT: String(port) });
    try {
      await waitForStderr(writer, /MCP \(Streamable HTTP\) on http:\/\/127\.0\.0\.1/);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
      await exerciseTools(client);
      await client.close();

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', project: 'http-tenant' });
      // fetch() will not send a foreign Host header; a raw request does, as a rebound browser would.
      const rebinding = await new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
        });
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/mcp',
            method: 'POST',
            headers: {
              host: 'evil.example',
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(rebinding).toBe(403);
    } finally {
      await stopProcess(writer);
    }
    expectTelemetry(tenant, /^[0-9a-f-]{36}$/);
  });

  it('lets `hydramem search` ask the running writer instead of opening the stores itself', async () => {
    const tenant = makeTenant('cli-tenant');
    seed(tenant);
    const { writer } = await startHttpWriter(tenant);
    try {
      const result = runCli(['search', '--json', 'ledger', 'reconcile'], tenant.env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/asking it at http:\/\/127\.0\.0\.1/);
      expect(JSON.parse(result.stdout).results[0].source).toBe('ledger.md');
    } finally {
      await stopProcess(writer);
    }
    const events = query<{ tool_name: string }>(path.join(tenant.dataDir, 'metrics.db'), 'SELECT tool_name FROM events');
    expect(events).toEqual([{ tool_name: 'hydra_search_tool' }]);
  });

  it('picks up changes in the knowledge folder while serving', async () => {
    const tenant = makeTenant('watch-tenant', { HYDRAMEM_WATCH: '1', HYDRAMEM_WATCH_DEBOUNCE_MS: '100' });
    seed(tenant);
    const { writer } = await startHttpWriter(tenant);
    const graphDb = path.join(tenant.dataDir, 'graph.db');
    try {
      writeFile(tenant.kms, 'sub/new-note.md', '# Treasury\n\nThe treasury team watches [[Ledger Service]] balances.\n');
      await waitFor(() => query(graphDb, "SELECT 1 FROM documents WHERE path = 'sub/new-note.md'").length === 1);
      fs.rmSync(path.join(tenant.kms, 'nadia.md'));
      await waitFor(() => query(graphDb, "SELECT 1 FROM documents WHERE path = 'nadia.md'").length === 0);
    } finally {
      await stopProcess(writer);
    }
    const runs = query<{ path: string; change: string; source: string }>(
      path.join(tenant.dataDir, 'metrics.db'),
      "SELECT path, change, source FROM ingest_runs WHERE source = 'watch' ORDER BY id",
    );
    expect(runs).toEqual([
      { path: 'sub/new-note.md', change: 'new', source: 'watch' },
      { path: 'nadia.md', change: 'deleted', source: 'watch' },
    ]);
  });
});
