import { chunkId, contentHash, documentId } from '../../store/ids';
import { scopeKey, type MemoryScope } from '../../store/scope';
import { estimateTokens } from './chunk';
import { mentionOf, namedRelation, type AgentEntity, type AgentRelation, type SubmittedEntities } from './agent-entities';
import type { NamedRelation, PreparedDocument, RelationOrigin } from './prepare';

export interface SessionExtractionInput {
  sessionId: string;
  entities: AgentEntity[];
  relations: AgentRelation[];
}

/** One provenance document per session and scope: the same session again replaces what it contributed. */
export function sessionDocumentId(project: string, scope: MemoryScope, sessionId: string): string {
  return documentId(`session:${project}:${scopeKey(scope)}:${sessionId}`);
}

export const sessionPath = (sessionId: string): string => `session:${sessionId}`;

/** The session's contribution in words: the evidence chunk its entities are mentioned in, searchable like a note. */
function summaryText(sessionId: string, entities: Array<Required<AgentEntity>>, relations: NamedRelation[]): string {
  const lines = [`What session ${sessionId} learned.`];
  if (entities.length > 0) lines.push(`Entities: ${entities.map((entity) => `${entity.name} (${entity.type})`).join('; ')}.`);
  for (const relation of relations)
    lines.push(`${relation.from} ${relation.type} ${relation.to} (confidence ${relation.confidence ?? 1}).`);
  return lines.join('\n');
}

/**
 * A session's entities and relations as one document of the caller's scope with one chunk: its
 * mentions keep the entities in the graph, its relation sources keep the relations, and replacing
 * or deleting the document takes exactly that away again.
 */
export function sessionDocument(
  input: SessionExtractionInput,
  target: { project: string; scope: MemoryScope; origin: RelationOrigin },
  entities: SubmittedEntities,
): PreparedDocument {
  const id = sessionDocumentId(target.project, target.scope, input.sessionId);
  const submitted = input.entities.map((entity) => entities.add(entity));
  const ends = new Map(submitted.map((entity) => [entity.name, entity]));
  const relations = input.relations.map((relation, at) => {
    const from = entities.end(relation.from, `relations.${at}.from`);
    const to = entities.end(relation.to, `relations.${at}.to`);
    ends.set(from.name, from).set(to.name, to);
    return namedRelation(from, to, relation);
  });
  const text = summaryText(input.sessionId, [...new Set(submitted)], relations);
  return {
    id,
    path: sessionPath(input.sessionId),
    absPath: null,
    title: `Session ${input.sessionId}`,
    contentHash: contentHash(JSON.stringify([input.entities, input.relations])),
    frontMatter: { session_id: input.sessionId },
    bytes: Buffer.byteLength(text),
    tokens: estimateTokens(text),
    mtimeMs: null,
    source: 'submit_session_extraction',
    userId: target.scope.userId,
    memoryId: target.scope.memoryId,
    entity: null,
    origin: target.origin,
    aliases: [],
    chunks: [
      {
        id: chunkId(id, 0),
        index: 0,
        heading: `Session ${input.sessionId}`,
        text,
        tokens: estimateTokens(text),
        mentions: [...ends.values()].map(mentionOf),
      },
    ],
    relations,
  };
}
