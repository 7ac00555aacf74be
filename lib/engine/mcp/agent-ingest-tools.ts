import { z } from 'zod';
import { normaliseName } from '../../store/ids';
import type { MemoryScope } from '../../store/scope';
import type { AgentWriter } from '../engine';
import { AGENT_LIMITS as LIMITS, isKeyableName, SubmissionFieldError } from '../ingest/agent-entities';
import type { AgentWriteOutcome } from '../ingest/agent-ingest';
import { callerDocId, prechunkedPath } from '../ingest/prechunked';
import { sessionPath } from '../ingest/session-extraction';
import { guard, jsonResult, scopeResult, scopeShape, type McpSession, type ToolCall } from './guard';
import { pythonCallShape, invalidParams } from './python-args';
import type { ToolRegistry } from './tool-registry';

/**
 * The Python server's agent-driven ingestion (its ADR 0005): the calling agent, which has an LLM,
 * chunks and extracts a document itself, or hands over what it learned in a session; this writer
 * stays LLM-free and only checks, normalises and stores what it is given.
 */

const formatCount = (value: number): string => value.toLocaleString('en-US');

const nameArg = z
  .string()
  .min(1)
  .max(LIMITS.nameChars)
  .refine(isKeyableName, 'a name needs a letter or a digit')
  .describe(`An entity name, 1–${LIMITS.nameChars} characters`);

const entityArg = z
  .strictObject({
    name: nameArg.describe(
      `The entity’s name, 1–${LIMITS.nameChars} characters; an entity the graph has with that name or alias (case, spaces and punctuation aside) is the same entity`,
    ),
    type: z
      .string()
      .min(1)
      .max(LIMITS.typeChars)
      .optional()
      .describe(
        `Its type, e.g. person or service, at most ${LIMITS.typeChars} characters, stored in lower case (default concept); an existing entity keeps its type`,
      ),
  })
  .describe('An entity: {name, type}');

const relationArg = z
  .strictObject({
    from: nameArg.describe('Where the relation starts: a submitted entity, or one the graph has (its id, name or alias)'),
    to: nameArg.describe('Where it ends: a submitted entity, or one the graph has (its id, name or alias)'),
    type: z
      .string()
      .min(1)
      .max(LIMITS.relationTypeChars)
      .refine((type) => /[A-Za-z0-9]/.test(type), 'a relation type needs a letter or a digit')
      .describe(
        `The relation type, e.g. OWNS or "depends on", at most ${LIMITS.relationTypeChars} characters, stored as front-matter relations are (upper case, _ between words)`,
      ),
    confidence: z.number().min(0).max(1).optional().describe('How sure the agent is, 0–1 (default 1)'),
  })
  .refine((relation) => normaliseName(relation.from) !== normaliseName(relation.to), {
    message: 'from and to name the same entity',
    path: ['to'],
  })
  .describe('A relation: {from, to, type, confidence}');

const entitiesArg = z.array(entityArg).max(LIMITS.entities);
const relationsArg = z.array(relationArg).max(LIMITS.relations);

const chunkArg = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(LIMITS.chunkChars)
    .refine((text) => text.trim().length > 0, 'a chunk needs text')
    .describe(`The chunk’s text as the agent cut it, 1–${formatCount(LIMITS.chunkChars)} characters; searchable like a note’s`),
  heading: z.string().max(300).optional().describe('The section heading it sits under, at most 300 characters (default none)'),
  entities: entitiesArg.optional().describe(`The entities the chunk names (default none; at most ${LIMITS.entities})`),
  relations: relationsArg
    .optional()
    .describe(`The relations the chunk states (default none; at most ${formatCount(LIMITS.relations)})`),
});

/** The document's totals are bounded too, not only each chunk's. */
const chunksArg = z
  .array(chunkArg)
  .min(1)
  .max(LIMITS.chunks)
  .superRefine((chunks, ctx) => {
    const entities = chunks.reduce((sum, chunk) => sum + (chunk.entities?.length ?? 0), 0);
    const relations = chunks.reduce((sum, chunk) => sum + (chunk.relations?.length ?? 0), 0);
    if (entities > LIMITS.entities)
      ctx.addIssue({
        code: 'custom',
        message: `${formatCount(entities)} entities in all; at most ${LIMITS.entities} a document`,
      });
    if (relations > LIMITS.relations)
      ctx.addIssue({
        code: 'custom',
        message: `${formatCount(relations)} relations in all; at most ${formatCount(LIMITS.relations)} a document`,
      });
  })
  .describe(
    `The document’s chunks in order, 1–${LIMITS.chunks}, each {text, heading, entities, relations}; ` +
      `in all at most ${LIMITS.entities} entities and ${formatCount(LIMITS.relations)} relations`,
  );

function writerOf(call: ToolCall): AgentWriter {
  return { userId: call.userId, memoryId: call.memoryId, sessionId: call.sessionId, key: call.key };
}

/** A relation that names no known entity is a bad argument: the protocol's error, naming where it is. */
function refusingUnknownEntities<T>(tool: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof SubmissionFieldError)
      throw invalidParams(`Invalid arguments for ${tool}: ${error.message}`, [error.field]);
    throw error;
  }
}

function outcomeResult(outcome: AgentWriteOutcome & { scope: MemoryScope }) {
  return {
    document_id: outcome.documentId,
    path: outcome.path,
    scope: scopeResult(outcome.scope),
    change: outcome.change,
    entities: outcome.entities,
    relations: outcome.relations,
    chunks_added: outcome.chunksAdded,
    chunks_removed: outcome.chunksRemoved,
    entities_added: outcome.entitiesAdded,
    entities_removed: outcome.entitiesRemoved,
    relations_added: outcome.relationsAdded,
    relations_removed: outcome.relationsRemoved,
  };
}

function registerIngestPrechunked(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'ingest_prechunked',
    {
      title: 'Ingest a document the agent chunked',
      description:
        'Stores a document the calling agent chunked and extracted itself: its chunks (searchable like notes), their entities and their relations ' +
        '(origin ingest_prechunked, with the session). A relation names submitted entities or ones the graph has; any other is refused. ' +
        'The same doc_id again replaces what it contributed (identical content changes nothing). In the user’s memory when the call is for a user, else shared.',
      inputSchema: {
        source: z
          .string()
          .min(1)
          .max(500)
          .describe(
            'Where the document comes from (a URL, a file name, a title), 1–500 characters; stored as prechunked:<source>',
          ),
        chunks: chunksArg,
        doc_id: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe(
            'The document’s id, 1–200 characters, to replace it later (default: a hash of source, as in the Python server)',
          ),
        ...scopeShape,
      },
    },
    guard(session, 'ingest_prechunked', (args, call) => {
      call.target = prechunkedPath(args.source);
      const input = { source: args.source, docId: args.doc_id, chunks: args.chunks };
      const outcome = refusingUnknownEntities('ingest_prechunked', () =>
        engine.track(
          { tool: 'ingest_prechunked', sessionId: call.sessionId, identity: call.identity },
          () => engine.ingestPrechunked(input, writerOf(call)),
          (result) => ({ file: result.path, doc_id: result.documentId, files_processed: 1, source: 'ingest_prechunked' }),
        ),
      );
      return jsonResult({ doc_id: callerDocId(input), chunks: outcome.chunks, ...outcomeResult(outcome) });
    }),
  );
}

function registerSessionExtraction(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'submit_session_extraction',
    {
      title: 'Submit what a session learned',
      description:
        'Merges the entities and relations the agent learned in a session into the graph (origin submit_session_extraction, with the session): ' +
        'an entity the graph has by that name or alias is the same entity. The session’s contribution is kept as one document (session:<session_id>, ' +
        'one searchable chunk listing it); the same session again replaces it, so send the whole extraction each time. ' +
        'A relation names submitted entities or ones the graph has; any other is refused. In the user’s memory when the call is for a user, else shared.',
      inputSchema: {
        entities: entitiesArg
          .optional()
          .describe(`The entities learned, {name, type} (default none; at most ${LIMITS.entities})`),
        relations: relationsArg
          .optional()
          .describe(
            `The relations learned, {from, to, type, confidence} (default none; at most ${formatCount(LIMITS.relations)})`,
          ),
        ...scopeShape,
        session_id: pythonCallShape.session_id.describe(
          'The session the extraction is from, 1–200 characters: a second submission for it replaces the first (default: the MCP session)',
        ),
      },
    },
    guard(session, 'submit_session_extraction', (args, call) => {
      const entities = args.entities ?? [];
      const relations = args.relations ?? [];
      if (entities.length + relations.length === 0)
        throw invalidParams('Invalid arguments for submit_session_extraction: give entities, relations or both.', [
          'entities',
          'relations',
        ]);
      call.target = sessionPath(call.sessionId);
      const input = { sessionId: call.sessionId, entities, relations };
      const outcome = refusingUnknownEntities('submit_session_extraction', () =>
        engine.track(
          { tool: 'submit_session_extraction', sessionId: call.sessionId, identity: call.identity },
          () => engine.submitSessionExtraction(input, writerOf(call)),
          (result) => ({ doc_id: result.documentId, source: 'submit_session_extraction' }),
        ),
      );
      return jsonResult({ session_id: call.sessionId, ...outcomeResult(outcome) });
    }),
  );
}

export function registerAgentIngestTools(tools: ToolRegistry, session: McpSession): void {
  registerIngestPrechunked(tools, session);
  registerSessionExtraction(tools, session);
}
