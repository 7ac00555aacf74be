import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { expandContext, graphOnlySearch, primingContext } from '../context-reads';
import type { CallContext } from '../engine';
import { fullDocument } from '../full-document';
import { tracePath } from '../graph-paths';
import { checkConflict, verifyRelation } from '../verdicts';
import { guard, jsonResult, scopeShape, type McpSession, type ToolCall } from './guard';
import { ProtocolError } from './python-args';
import type { ToolRegistry } from './tool-registry';

const MAX_K = 50;
const MAX_HOPS = 3;
const MAX_ENTITY_IDS = 50;
const MAX_TEXT_CHARS = 20_000;

const queryArg = z.string().max(2000).describe('What to look for, in words (at most 2,000 characters)');
const entityRef = z.string().min(1).max(500);
const kArg = (fallback: number) =>
  z.number().int().min(1).max(MAX_K).optional().describe(`How many chunks to return, 1–${MAX_K} (default ${fallback})`);
const hopsArg = z
  .number()
  .int()
  .min(1)
  .max(MAX_HOPS)
  .optional()
  .describe(`How many relations away the walk goes, 1–${MAX_HOPS} (default 2)`);
const textArg = (what: string) =>
  z
    .string()
    .max(MAX_TEXT_CHARS)
    .describe(`${what} (at most ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters)`);

function tracked(call: ToolCall, tool: string): CallContext {
  return { tool, sessionId: call.sessionId, identity: call.identity };
}

/** The query_log row of a graph search: what was asked, the chunks and entities it came back with. */
function searchRecord(call: ToolCall, query: string, chunks: ReadonlyArray<{ id: string; score: number }>, entityIds: string[]) {
  return {
    userId: call.scope.userId,
    memoryId: call.scope.memoryId,
    query,
    resultCount: chunks.length,
    topScore: chunks[0]?.score ?? null,
    chunkIds: chunks.map((chunk) => chunk.id),
    entityIds,
  };
}

/** Context for a prompt: priming from a query, expanding from entities, and the graph-walk arm alone. */
function registerContextReads(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'priming_context_tool',
    {
      title: 'Priming context',
      description:
        'The top chunks of the same hybrid search as hydra_search_tool, the entities they mention and those entities’ 5 strongest neighbours ' +
        '(each listed once, with hops 0 or 1 and the entity it was reached from), and `context`: a numbered block ("[1] source — text", then the related entities) to paste into a prompt.',
      inputSchema: { query: queryArg, k: kArg(3), ...scopeShape },
    },
    guard(session, 'priming_context_tool', (args, call) => {
      const search = engine.search({
        query: args.query,
        limit: args.k ?? 3,
        userId: call.scope.userId,
        memoryId: call.scope.memoryId,
        sessionId: call.sessionId,
        tool: 'priming_context_tool',
        key: call.key,
      });
      return jsonResult({ query: args.query, ...primingContext(engine.graphDb, engine.project, search.results, call.scope) });
    }),
  );

  tools.register(
    'expand_context_tool',
    {
      title: 'Expand context from entities',
      description:
        'The chunks that mention the given entities or any entity within `hops` relations of them (either direction, 25 strongest relations per entity, 200 entities at most), ' +
        'best first (score: mentions × 0.5^hops, summed), in the priming shape. An entity that is not found is an error naming it.',
      inputSchema: {
        entity_ids: z
          .array(entityRef)
          .min(1)
          .max(MAX_ENTITY_IDS)
          .describe(`The entities to start from: ids, names or aliases, 1–${MAX_ENTITY_IDS}`),
        hops: hopsArg,
        limit: kArg(10),
        ...scopeShape,
      },
    },
    guard(session, 'expand_context_tool', (args, call) => {
      const result = engine.track(
        tracked(call, 'expand_context_tool'),
        () =>
          expandContext(
            engine.graphDb,
            engine.project,
            args.entity_ids,
            { hops: args.hops ?? 2, limit: args.limit ?? 10 },
            call.scope,
          ),
        (found) => ({ entities: found.start.map((entity) => entity.id), planner: 'graph' }),
        (found) =>
          searchRecord(
            call,
            args.entity_ids.join(', '),
            found.chunks,
            found.entities.map((entity) => entity.id),
          ),
      );
      return jsonResult(result);
    }),
  );

  tools.register(
    'graph_only_search_tool',
    {
      title: 'Graph-only search',
      description:
        'The graph-walk arm of the search alone, no full-text arm: the entities the query names (`seeds`, where the walk started), a walk of `hops` relations from them, ' +
        'and the chunks that mention what it reached, best first (score: mentions × 0.5^hops, summed), each with the entities that led to it. No named entity: no results.',
      inputSchema: { query: queryArg, k: kArg(10), hops: hopsArg, ...scopeShape },
    },
    guard(session, 'graph_only_search_tool', (args, call) => {
      const request = { query: args.query, k: args.k ?? 10, hops: args.hops ?? 2 };
      const result = engine.track(
        tracked(call, 'graph_only_search_tool'),
        () => graphOnlySearch(engine.graphDb, engine.project, engine.searcher, request, call.scope),
        (found) => ({ entities: found.seeds.map((seed) => seed.id), planner: 'graph' }),
        (found) =>
          searchRecord(
            call,
            args.query,
            found.results,
            found.seeds.map((seed) => seed.id),
          ),
      );
      return jsonResult(result);
    }),
  );
}

/** A path between two entities and a whole document. */
function registerGraphReads(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'trace_path_tool',
    {
      title: 'Trace a path between entities',
      description:
        'The shortest chain of relations between two entities (either direction, at most 6 relations, the 50 strongest relations of each entity, 5,000 entities visited at most), ' +
        'with each relation’s type and whether it runs along the path (forward) or against it (backward). No path: found false and length null (truncated true when a bound was hit).',
      inputSchema: {
        from_entity: entityRef.describe('Where the path starts: an entity id, name or alias'),
        to_entity: entityRef.describe('Where it ends: an entity id, name or alias'),
        ...scopeShape,
      },
    },
    guard(session, 'trace_path_tool', (args, call) => {
      const result = engine.track(
        tracked(call, 'trace_path_tool'),
        () => tracePath(engine.graphDb, engine.project, args.from_entity, args.to_entity, call.scope),
        (found) => ({ entities: found.path.map((entity) => entity.id), length: found.length }),
      );
      return jsonResult(result);
    }),
  );

  tools.register(
    'get_full_document_tool',
    {
      title: 'Full document',
      description:
        'A document’s whole text, reassembled from its chunks in order (the note’s body; front matter is not kept), with its title, path and source. ' +
        'Not found (or another user’s): found false.',
      inputSchema: {
        doc_id: z
          .string()
          .min(1)
          .max(4096)
          .describe(
            'The document: its id (16 hex characters, as search results give it) or its path as ingest shows it (or absolute)',
          ),
        ...scopeShape,
      },
    },
    guard(session, 'get_full_document_tool', (args, call) => {
      const result = engine.track(
        tracked(call, 'get_full_document_tool'),
        () => fullDocument(engine.graphDb, engine.project, args.doc_id, call.scope),
        (found) => ({ doc_id: found.doc_id, found: found.found }),
      );
      call.target = result.doc_id;
      return jsonResult(result);
    }),
  );
}

/** Deterministic verdicts from the graph and the texts, with their reasons in words. */
function registerVerdicts(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'verify_relation_tool',
    {
      title: 'Verify a relation',
      description:
        'Whether the graph backs "from_entity relation_type to_entity": supported (a relation of that type in that direction with at least `confidence`), ' +
        'contradicted (a relation between the two that breaks it: its negation NOT_<type>, a declared opposite type, or the same one-way type reversed), disputed (both) or unsupported (neither); ' +
        'with the number of documents asserting it, their paths, the contradicting relations, whether each text names its entity, and the reasons in words. No score is invented.',
      inputSchema: {
        from_entity: entityRef.describe('The relation’s source entity: id, name or alias'),
        to_entity: entityRef.describe('The relation’s target entity: id, name or alias'),
        relation_type: z
          .string()
          .min(1)
          .max(100)
          .describe(
            'The relation type, e.g. OWNER or "reports to" (compared as the graph stores types: upper case, words joined by _)',
          ),
        source_text: textArg('Text about the source entity; checked for naming it (default: none)').optional(),
        target_text: textArg('Text about the target entity; checked for naming it (default: none)').optional(),
        confidence: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('The least stored confidence a relation needs to count as support, 0–1 (default 0.5)'),
        ...scopeShape,
      },
    },
    guard(session, 'verify_relation_tool', (args, call) => {
      const request = {
        from: args.from_entity,
        to: args.to_entity,
        type: args.relation_type,
        sourceText: args.source_text ?? '',
        targetText: args.target_text ?? '',
        confidence: args.confidence ?? 0.5,
      };
      const result = engine.track(
        tracked(call, 'verify_relation_tool'),
        () => verifyRelation(engine.graphDb, engine.project, request, call.scope),
        (found) => ({ entities: [found.from?.id, found.to?.id].filter(Boolean), verdict: found.verdict }),
      );
      return jsonResult(result);
    }),
  );

  tools.register(
    'check_conflict_tool',
    {
      title: 'Check two statements for a conflict',
      description:
        'Whether two statements about two entities conflict: the graph holds contradicting relations between the entities (a negation, declared opposites, a one-way type both ways), ' +
        'or the texts, both naming the same one of the entities, contradict each other: one negates the other (the same words, one with not / no longer / never / n’t), ' +
        'or both give the same attribute different values ("the owner of X is A" / "... is B", or "X owner: A"). A verdict, the conflicts, the relations between the two as evidence, and the reasons.',
      inputSchema: {
        entity_a: entityRef.describe('The first entity: id, name or alias'),
        entity_b: entityRef.describe('The second entity: id, name or alias'),
        text_a: textArg('The first statement'),
        text_b: textArg('The second statement'),
        ...scopeShape,
      },
    },
    guard(session, 'check_conflict_tool', (args, call) => {
      const request = { entityA: args.entity_a, entityB: args.entity_b, textA: args.text_a, textB: args.text_b };
      const result = engine.track(
        tracked(call, 'check_conflict_tool'),
        () => checkConflict(engine.graphDb, engine.project, request, call.scope),
        (found) => ({ entities: [found.entity_a?.id, found.entity_b?.id].filter(Boolean), verdict: found.verdict }),
      );
      return jsonResult(result);
    }),
  );

  tools.register(
    'train_gnn_tool',
    {
      title: 'Train the GNN (not offered)',
      description:
        'Listed for clients of the Python HydraMem, always refused with an error: this writer has no graph neural network; search is full-text (BM25) plus a graph walk, which need no training.',
      inputSchema: {
        dry_run: z
          .boolean()
          .optional()
          .describe('Python name: only say what training would do (default true); refused either way'),
        ...scopeShape,
      },
    },
    guard(session, 'train_gnn_tool', () => {
      throw new ProtocolError(
        ErrorCode.InvalidRequest,
        'train_gnn_tool is not offered: this writer has no graph neural network to train. Search here is full-text (BM25) fused with a graph walk, ' +
          'which learn nothing and need no training; nothing was changed.',
      );
    }),
  );
}

export function registerContextTools(tools: ToolRegistry, session: McpSession): void {
  registerContextReads(tools, session);
  registerGraphReads(tools, session);
  registerVerdicts(tools, session);
}
