import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { APP_VERSION } from '../../version';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import { registerFederationTools } from '../federation/mcp-tools';
import type { IngestSummary } from '../ingest/ingest';
import { registerAdminTools } from './admin-tools';
import { guard, jsonResult, scopeShape, type McpSession } from './guard';
import { registerIdentityTools } from './identity-tools';

export const SERVER_NAME = 'hydramem';

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

/** A path an MCP client names, relative to the knowledge folder; the ingest refuses one that resolves outside it. */
function inKnowledgeDir(engine: Engine, requested: string | undefined): string {
  return requested ? path.resolve(engine.config.knowledgeDir, requested) : engine.config.knowledgeDir;
}

/** Builds one MCP server for a session; `session` says who calls each request. */
export function createMcpServer(session: McpSession): McpServer {
  const { engine } = session;
  const server = new McpServer({ name: SERVER_NAME, version: APP_VERSION });

  server.registerTool(
    'hydra_search_tool',
    {
      title: 'Search memory',
      description:
        'Hybrid search over the knowledge graph: BM25 over note chunks fused with a graph walk from the entities the query names. ' +
        'Sees the shared notes, plus the user’s own memories when the call is for a user.',
      inputSchema: { query: z.string().max(2000), limit: z.number().int().min(1).max(50).optional(), ...scopeShape },
    },
    guard(session, 'hydra_search_tool', (args, call) => {
      const result = engine.search({
        query: args.query,
        limit: args.limit ?? 8,
        userId: call.scope.userId,
        memoryId: call.scope.memoryId,
        sessionId: call.sessionId,
        tool: 'hydra_search_tool',
        key: call.key,
      });
      return jsonResult({ query: args.query, planner: result.planner, seeds: result.seeds, results: result.results });
    }),
  );

  server.registerTool(
    'remember',
    {
      title: 'Remember a text',
      description:
        'Stores a piece of text as a memory: chunked, its entities extracted and linked into the graph, all in the user’s memory ' +
        '(only they see it). Without a user it becomes a shared note every caller sees.',
      inputSchema: { text: z.string().min(1).max(1_000_000), title: z.string().max(300).optional(), ...scopeShape },
    },
    guard(session, 'remember', (args, call) => {
      const outcome = engine.track(
        { tool: 'remember', sessionId: call.sessionId, identity: call.identity },
        () =>
          engine.remember({ text: args.text, title: args.title, userId: call.userId, memoryId: call.memoryId }, 'mcp', call.key),
        (result) => ({ doc_id: result.docId, files_processed: 1, source: 'remember' }),
      );
      call.target = outcome.docId;
      return jsonResult({
        doc_id: outcome.docId,
        scope: outcome.scope.userId ? { user_id: outcome.scope.userId, memory_id: outcome.scope.memoryId } : 'shared',
        ...summaryOf(outcome.summary),
      });
    }),
  );

  server.registerTool(
    'ingest_markdown',
    {
      title: 'Ingest one note',
      description: 'Ingests one markdown or text file from the knowledge folder (a path relative to it) into the shared notes.',
      inputSchema: { path: z.string().min(1).max(4096), ...scopeShape },
    },
    guard(session, 'ingest_markdown', (args, call) => {
      call.target = args.path;
      const summary = engine.track(
        { tool: 'ingest_markdown', sessionId: call.sessionId, identity: call.identity },
        () => engine.ingest(inKnowledgeDir(engine, args.path), { source: 'mcp', recordUnchanged: true, identity: call.identity }),
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
      inputSchema: { path: z.string().max(4096).optional(), ...scopeShape },
    },
    guard(session, 'ingest_directory_tool', (args, call) => {
      call.target = args.path ?? '.';
      const summary = engine.track(
        { tool: 'ingest_directory_tool', sessionId: call.sessionId, identity: call.identity },
        () => engine.ingest(inKnowledgeDir(engine, args.path), { source: 'mcp', recordUnchanged: true, identity: call.identity }),
        (result) => ({ file: args.path ?? '.', files_processed: result.files, source: 'mcp' }),
      );
      return jsonResult(summaryOf(summary));
    }),
  );

  server.registerTool(
    'get_entity_neighbors_tool',
    {
      title: 'Entity neighbours',
      description:
        'The entities related to one entity (by id, name or alias), strongest relations first, as the caller may see them.',
      inputSchema: { entity: z.string().min(1).max(500), limit: z.number().int().min(1).max(100).optional(), ...scopeShape },
    },
    guard(session, 'get_entity_neighbors_tool', (args, call) => {
      const result = engine.track(
        { tool: 'get_entity_neighbors_tool', sessionId: call.sessionId, identity: call.identity },
        () => engine.neighbours(args.entity, args.limit ?? 25, call.scope),
        (found) => ({ entities: found.entity ? [found.entity.id] : [] }),
      );
      if (!result.entity) throw new UserError(`No entity named "${args.entity}" in project ${engine.project}.`);
      return jsonResult(result);
    }),
  );

  // Listing and status tools write no event, as in the Python HydraMem.
  server.registerTool(
    'list_entities_tool',
    {
      title: 'List entities',
      description:
        'Entities the caller may see (the shared graph, plus the user’s own), most mentioned first, optionally filtered by type or name.',
      inputSchema: {
        type: z.string().max(100).optional(),
        query: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
        ...scopeShape,
      },
    },
    guard(session, 'list_entities_tool', (args, call) =>
      jsonResult(
        engine.entities({ type: args.type, query: args.query, limit: args.limit ?? 100, offset: args.offset ?? 0 }, call.scope),
      ),
    ),
  );

  server.registerTool(
    'hydramem_stats_tool',
    {
      title: 'Memory statistics',
      description:
        'Tool calls, searches, latency, tokens saved and graph size over the last N days: for a user their own calls and the graph they see.',
      inputSchema: { days: z.number().int().min(1).max(3650).optional(), ...scopeShape },
    },
    guard(session, 'hydramem_stats_tool', (args, call) => jsonResult(engine.stats(args.days ?? 30, call.scope))),
  );

  server.registerTool(
    'run_night_gardener',
    {
      title: 'Run the Night Gardener',
      description:
        'Runs graph maintenance once: merges duplicate entities (within each scope), prunes orphans, decays relations not seen for a while, ' +
        'boosts entities that searches return often and refreshes the graph statistics. Refused while a run is in progress.',
      inputSchema: {},
    },
    guard(session, 'run_night_gardener', (_args, call) => {
      const summary = engine.track(
        { tool: 'run_night_gardener', sessionId: call.sessionId, identity: call.identity },
        () => engine.runGarden({ trigger: 'manual', command: 'MCP run_night_gardener' }),
        (result) => ({ garden_run_id: result.runId }),
      );
      call.target = `garden_run:${summary.runId}`;
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
    guard(session, 'get_garden_status_tool', () => jsonResult(engine.gardenStatus())),
  );

  registerIdentityTools(server, session);
  registerFederationTools(server, session);
  registerAdminTools(server, session);
  return server;
}
