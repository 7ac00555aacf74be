import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import { APP_VERSION } from '../../version';
import type { IngestSummary } from '../ingest/ingest';
import { registerFederationTools } from '../federation/mcp-tools';

export const SERVER_NAME = 'hydramem';

function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/** Runs a tool body: a thrown error becomes an MCP error result with a readable message, never a crash. */
function respond<A extends unknown[]>(body: (...args: A) => Promise<CallToolResult>): (...args: A) => Promise<CallToolResult> {
  return async (...args: A) => {
    try {
      return await body(...args);
    } catch (error) {
      return errorResult(error);
    }
  };
}

function errorResult(error: unknown): CallToolResult {
  const message =
    error instanceof UserError
      ? error.message
      : `HydraMem could not complete the call: ${(error as Error)?.message ?? String(error)}`;
  return { content: [{ type: 'text', text: message }], isError: true };
}

function summaryOf(summary: IngestSummary) {
  return {
    files: summary.files,
    ok: summary.ok,
    skipped: summary.skipped,
    failed: summary.failed,
    unchanged: summary.unchanged,
    deleted: summary.deleted,
    chunks_added: summary.chunksAdded,
    chunks_removed: summary.chunksRemoved,
    entities_added: summary.entitiesAdded,
    relations_added: summary.relationsAdded,
    problems: summary.problems.slice(0, 50),
    duration_ms: Math.round(summary.durationMs),
  };
}

/** MCP clients may only ingest from inside the tenant's knowledge folder. */
function insideKnowledgeDir(engine: Engine, requested: string | undefined): string {
  const root = engine.config.knowledgeDir;
  const target = requested ? path.resolve(root, requested) : root;
  const relative = path.relative(root, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new UserError(`${requested} is outside the knowledge folder ${root}; MCP clients may only ingest inside it.`);
  }
  return target;
}

const scopeShape = {
  user_id: z.string().max(200).optional().describe('Scope to this user: their memories plus the shared notes'),
  memory_id: z.string().max(200).optional().describe('Scope to this memory context'),
};

/** Builds one MCP server over an engine. `sessionId` names the connection in telemetry. */
export function createMcpServer(engine: Engine, fallbackSessionId: string): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: APP_VERSION });
  const session = (extra: { sessionId?: string }): string => extra.sessionId ?? fallbackSessionId;

  server.registerTool(
    'hydra_search_tool',
    {
      title: 'Search memory',
      description:
        'Hybrid search over the knowledge graph: BM25 over note chunks fused with a graph walk from the entities the query names.',
      inputSchema: { query: z.string().max(2000), limit: z.number().int().min(1).max(50).optional(), ...scopeShape },
    },
    respond(async (args, extra) => {
      const result = engine.search({
        query: args.query,
        limit: args.limit ?? 8,
        userId: args.user_id ?? null,
        memoryId: args.memory_id ?? null,
        sessionId: session(extra),
        tool: 'hydra_search_tool',
      });
      return jsonResult({ query: args.query, planner: result.planner, seeds: result.seeds, results: result.results });
    }),
  );

  server.registerTool(
    'remember',
    {
      title: 'Remember a text',
      description: 'Stores a piece of text as a memory: it is chunked, its entities extracted and linked into the graph.',
      inputSchema: { text: z.string().min(1).max(1_000_000), title: z.string().max(300).optional(), ...scopeShape },
    },
    respond(async (args, extra) => {
      const outcome = engine.track(
        { tool: 'remember', sessionId: session(extra) },
        () =>
          engine.remember(
            { text: args.text, title: args.title, userId: args.user_id ?? null, memoryId: args.memory_id ?? null },
            'mcp',
          ),
        (result) => ({ doc_id: result.docId, files_processed: 1, source: 'remember' }),
      );
      return jsonResult({ doc_id: outcome.docId, ...summaryOf(outcome.summary) });
    }),
  );

  server.registerTool(
    'ingest_markdown',
    {
      title: 'Ingest one note',
      description: 'Ingests one markdown or text file from the knowledge folder (a path relative to it).',
      inputSchema: { path: z.string().min(1).max(4096) },
    },
    respond(async (args, extra) => {
      const summary = engine.track(
        { tool: 'ingest_markdown', sessionId: session(extra) },
        () => engine.ingest(insideKnowledgeDir(engine, args.path), { source: 'mcp', recordUnchanged: true }),
        (result) => ({ file: args.path, files_processed: result.files, source: 'mcp' }),
      );
      return jsonResult(summaryOf(summary));
    }),
  );

  server.registerTool(
    'ingest_directory_tool',
    {
      title: 'Ingest a folder',
      description: 'Ingests the knowledge folder, or a folder inside it: new and changed notes are added, deleted ones removed.',
      inputSchema: { path: z.string().max(4096).optional() },
    },
    respond(async (args, extra) => {
      const summary = engine.track(
        { tool: 'ingest_directory_tool', sessionId: session(extra) },
        () => engine.ingest(insideKnowledgeDir(engine, args.path), { source: 'mcp', recordUnchanged: true }),
        (result) => ({ file: args.path ?? '.', files_processed: result.files, source: 'mcp' }),
      );
      return jsonResult(summaryOf(summary));
    }),
  );

  server.registerTool(
    'get_entity_neighbors_tool',
    {
      title: 'Entity neighbours',
      description: 'The entities related to one entity (by id, name or alias), strongest relations first.',
      inputSchema: { entity: z.string().min(1).max(500), limit: z.number().int().min(1).max(100).optional() },
    },
    respond(async (args, extra) => {
      const result = engine.track(
        { tool: 'get_entity_neighbors_tool', sessionId: session(extra) },
        () => engine.neighbours(args.entity, args.limit ?? 25),
        (found) => ({ entities: found.entity ? [found.entity.id] : [] }),
      );
      if (!result.entity) return errorResult(new UserError(`No entity named "${args.entity}" in project ${engine.project}.`));
      return jsonResult(result);
    }),
  );

  // Listing and status tools write no event, as in the Python HydraMem.
  server.registerTool(
    'list_entities_tool',
    {
      title: 'List entities',
      description: 'Entities of the project, most mentioned first, optionally filtered by type or by a name fragment.',
      inputSchema: {
        type: z.string().max(100).optional(),
        query: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
      },
    },
    respond(async (args) => {
      return jsonResult(
        engine.entities({ type: args.type, query: args.query, limit: args.limit ?? 100, offset: args.offset ?? 0 }),
      );
    }),
  );

  server.registerTool(
    'hydramem_stats_tool',
    {
      title: 'Memory statistics',
      description: 'Tool calls, searches, latency, tokens saved and graph size for the project over the last N days.',
      inputSchema: { days: z.number().int().min(1).max(3650).optional() },
    },
    respond(async (args) => {
      return jsonResult(engine.stats(args.days ?? 30));
    }),
  );

  server.registerTool(
    'run_night_gardener',
    {
      title: 'Run the Night Gardener',
      description:
        'Runs graph maintenance once: merges duplicate entities, prunes orphans, decays relations not seen for a while, ' +
        'boosts entities that searches return often and refreshes the graph statistics. Refused while a run is in progress.',
      inputSchema: {},
    },
    respond(async (_args, extra) => {
      const summary = engine.track(
        { tool: 'run_night_gardener', sessionId: session(extra) },
        () => engine.runGarden({ trigger: 'manual', command: 'MCP run_night_gardener' }),
        (result) => ({ garden_run_id: result.runId }),
      );
      return jsonResult(summary);
    }),
  );

  server.registerTool(
    'get_garden_status_tool',
    {
      title: 'Night Gardener status',
      description: 'The Night Gardener schedule, the run in progress if any, recent runs and cumulative counters.',
      inputSchema: {},
    },
    respond(async () => jsonResult(engine.gardenStatus())),
  );

  registerFederationTools(server, engine, fallbackSessionId);

  return server;
}
