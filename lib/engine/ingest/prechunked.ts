import { chunkId, contentHash, documentId } from '../../store/ids';
import { scopeKey, type MemoryScope } from '../../store/scope';
import { estimateTokens } from './chunk';
import type { Mention } from './extract';
import { mentionOf, namedRelation, type AgentEntity, type AgentRelation, type SubmittedEntities } from './agent-entities';
import type { NamedRelation, PreparedChunk, PreparedDocument, RelationOrigin } from './prepare';

export interface PrechunkedChunk {
  text: string;
  heading?: string;
  entities?: AgentEntity[];
  relations?: AgentRelation[];
}

export interface PrechunkedInput {
  source: string;
  /** The caller's id for the document; default: a hash of source, as the Python server has it. */
  docId?: string;
  chunks: PrechunkedChunk[];
}

/** The caller's doc id: theirs, or the first 16 hex characters of sha256(source). */
export function callerDocId(input: PrechunkedInput): string {
  return input.docId ?? documentId(input.source);
}

/**
 * The stored document's id, in a namespace of its own: a note's id hashes its absolute path and a
 * memory's starts `memory:`, so no doc id a caller picks can reach either; the scope is in it, so
 * two users' documents with the same doc id stay two documents.
 */
export function prechunkedDocumentId(project: string, scope: MemoryScope, docId: string): string {
  return documentId(`prechunked:${project}:${scopeKey(scope)}:${docId}`);
}

export const prechunkedPath = (source: string): string => `prechunked:${source}`;

/**
 * One chunk as the graph writer takes it: the agent's text, mentions of its entities and of both
 * ends of its relations (a relation found in a chunk names its ends there).
 */
function prepareChunk(
  chunk: PrechunkedChunk,
  index: number,
  docId: string,
  entities: SubmittedEntities,
): { chunk: PreparedChunk; relations: NamedRelation[] } {
  const mentions = new Map<string, Mention>();
  const mention = (entity: Required<AgentEntity>): void => void mentions.set(entity.name, mentionOf(entity));
  for (const entity of chunk.entities ?? []) mention(entities.add(entity));
  const relations = (chunk.relations ?? []).map((relation, at) => {
    const field = `chunks.${index}.relations.${at}`;
    const from = entities.end(relation.from, `${field}.from`);
    const to = entities.end(relation.to, `${field}.to`);
    mention(from);
    mention(to);
    return namedRelation(from, to, relation);
  });
  const prepared: PreparedChunk = {
    id: chunkId(docId, index),
    index,
    heading: chunk.heading?.trim() || null,
    text: chunk.text,
    tokens: estimateTokens(chunk.text),
    mentions: [...mentions.values()],
  };
  return { chunk: prepared, relations };
}

/** An agent's chunks and their extraction as a document of the caller's scope. */
export function prechunkedDocument(
  input: PrechunkedInput,
  target: { project: string; scope: MemoryScope; origin: RelationOrigin },
  entities: SubmittedEntities,
): PreparedDocument {
  const id = prechunkedDocumentId(target.project, target.scope, callerDocId(input));
  // Every chunk's entities first: a relation may name an entity another chunk submits.
  for (const chunk of input.chunks) for (const entity of chunk.entities ?? []) entities.add(entity);
  const prepared = input.chunks.map((chunk, index) => prepareChunk(chunk, index, id, entities));
  const texts = input.chunks.map((chunk) => chunk.text);
  return {
    id,
    path: prechunkedPath(input.source),
    absPath: null,
    title: input.source,
    contentHash: contentHash(JSON.stringify([input.source, input.chunks])),
    frontMatter: { doc_id: callerDocId(input) },
    bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    tokens: texts.reduce((sum, text) => sum + estimateTokens(text), 0),
    mtimeMs: null,
    source: 'ingest_prechunked',
    userId: target.scope.userId,
    memoryId: target.scope.memoryId,
    entity: null,
    origin: target.origin,
    aliases: [],
    chunks: prepared.map((entry) => entry.chunk),
    relations: prepared.flatMap((entry) => entry.relations),
  };
}
