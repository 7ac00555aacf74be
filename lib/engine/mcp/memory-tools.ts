import path from 'node:path';
import { z } from 'zod';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import type { IngestSummary } from '../ingest/ingest';
import { guard, jsonResult, scopeResult, scopeShape, type McpSession } from './guard';
import type { ToolRegistry } from './tool-registry';

export const SEARCH_DEFAULT_LIMIT = 8;
export const SEARCH_MAX_LIMIT = 50;

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

const limitArg = z
  .number()
  .int()
  .min(1)
  .max(SEARCH_MAX_LIMIT)
  .optional()
  .describe(`How many chunks to return, 1–${SEARCH_MAX_LIMIT} (default ${SEARCH_DEFAULT_LIMIT})`);

/**
 * The Python search's graph options. This writer's walk is fixed (the query's entities, their
 * chunks, then their direct neighbours' chunks) and fused with BM25, which is the Python server's
 * `hybrid`: other choices are refused rather than answered with a search they did not ask for.
 */
const searchCompatShape = {
  hops: z
    .number()
    .int()
    .min(1)
    .max(2)
    .optional()
    .describe(
      'Python name: graph walk depth. The walk here always reaches the direct neighbours of the query’s entities (2 in the Python server’s terms); 1 or 2 accepted, same search',
    ),
  traversal: z
    .enum(['', 'hybrid'])
    .optional()
    .describe('Python name: "" (auto) or "hybrid", both this writer’s BM25 + graph walk; bfs and ppr are not offered'),
};

export function registerMemoryTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;

  tools.register(
    'hydra_search_tool',
    {
      title: 'Search memory',
      description:
        'Hybrid search over the knowledge graph: BM25 over note chunks fused with a graph walk from the entities the query names. ' +
        'Sees the shared notes, plus the user’s own memories when the call is for a user.',
      inputSchema: {
        query: z.string().max(2000).describe('What to look for, in words (at most 2,000 characters)'),
        limit: limitArg,
        k: limitArg.describe(
          `Python name for limit, 1–${SEARCH_MAX_LIMIT} (default ${SEARCH_DEFAULT_LIMIT} here; 5 in the Python server)`,
        ),
        ...searchCompatShape,
        ...scopeShape,
      },
      aliases: [{ ours: 'limit', python: 'k' }],
    },
    guard(session, 'hydra_search_tool', (args, call) => {
      const result = engine.search({
        query: args.query,
        limit: args.limit ?? SEARCH_DEFAULT_LIMIT,
        userId: call.scope.userId,
        memoryId: call.scope.memoryId,
        sessionId: call.sessionId,
        tool: 'hydra_search_tool',
        key: call.key,
      });
      return jsonResult({ query: args.query, planner: result.planner, seeds: result.seeds, results: result.results });
    }),
  );

  tools.register(
    'remember',
    {
      title: 'Remember a text',
      description:
        'Stores a piece of text as a memory: chunked, its entities extracted and linked into the graph, all in the user’s memory ' +
        '(only they see it). Without a user it becomes a shared note every caller sees. The same text again changes nothing.',
      inputSchema: {
        text: z.string().min(1).max(1_000_000).describe('The text to remember (1 to 1,000,000 characters)'),
        title: z.string().max(300).optional().describe('A heading for it (default: "Memory <id>")'),
        source: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('Python name: where the text comes from, recorded in the call’s telemetry (default remember)'),
        ...scopeShape,
      },
    },
    guard(session, 'remember', (args, call) => {
      const outcome = engine.track(
        { tool: 'remember', sessionId: call.sessionId, identity: call.identity },
        () =>
          engine.remember({ text: args.text, title: args.title, userId: call.userId, memoryId: call.memoryId }, 'mcp', call.key),
        (result) => ({ doc_id: result.docId, files_processed: 1, source: args.source ?? 'remember' }),
      );
      call.target = outcome.docId;
      return jsonResult({
        doc_id: outcome.docId,
        scope: scopeResult(outcome.scope),
        ...summaryOf(outcome.summary),
      });
    }),
  );

  const pathArg = z.string().min(1).max(4096);
  tools.register(
    'ingest_markdown',
    {
      title: 'Ingest one note',
      description:
        'Ingests one markdown or text file from the knowledge folder into the shared notes; a path outside it is refused.',
      inputSchema: {
        path: pathArg
          .optional()
          .describe('The file, relative to the knowledge folder (or absolute inside it); path or file_path is required'),
        file_path: pathArg.optional().describe('Python name for path'),
        ...scopeShape,
      },
      aliases: [{ ours: 'path', python: 'file_path', required: true }],
    },
    guard(session, 'ingest_markdown', (args, call) => {
      const file = args.path ?? '';
      call.target = file;
      const summary = engine.track(
        { tool: 'ingest_markdown', sessionId: call.sessionId, identity: call.identity },
        () => engine.ingest(inKnowledgeDir(engine, file), { source: 'mcp', recordUnchanged: true, identity: call.identity }),
        (result) => ({ file, files_processed: result.files, source: 'mcp' }),
      );
      return jsonResult(summaryOf(summary));
    }),
  );

  tools.register(
    'ingest_directory_tool',
    {
      title: 'Ingest a folder',
      description:
        'Ingests the knowledge folder, or a folder inside it, sub-folders included: new and changed notes are added, deleted ones removed.',
      inputSchema: {
        path: z.string().max(4096).optional().describe('The folder, relative to the knowledge folder (default: all of it)'),
        directory: z.string().max(4096).optional().describe('Python name for path'),
        recursive: z
          .boolean()
          .optional()
          .describe('Python name: read sub-folders too (default true); false is refused, as a folder here is always read whole'),
        ...scopeShape,
      },
      aliases: [{ ours: 'path', python: 'directory' }],
    },
    guard(session, 'ingest_directory_tool', (args, call) => {
      // A folder ingest removes the notes it no longer finds: skipping sub-folders would delete theirs.
      if (args.recursive === false)
        throw new UserError(
          'recursive=false is not supported: ingest_directory_tool always reads sub-folders (a partial scan would remove their notes). Use ingest_markdown for single files.',
          2,
        );
      call.target = args.path ?? '.';
      const summary = engine.track(
        { tool: 'ingest_directory_tool', sessionId: call.sessionId, identity: call.identity },
        () => engine.ingest(inKnowledgeDir(engine, args.path), { source: 'mcp', recordUnchanged: true, identity: call.identity }),
        (result) => ({ file: args.path ?? '.', files_processed: result.files, source: 'mcp' }),
      );
      return jsonResult(summaryOf(summary));
    }),
  );
}
