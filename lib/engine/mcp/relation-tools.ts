import { z } from 'zod';
import { writeScope } from '../../store/scope';
import { UserError } from '../errors';
import { relationTypeForKey } from '../ingest/prepare';
import type { RelationWriter } from '../relations/manual-relations';
import { asOfTimestamp, type RelationRecord } from '../relations/relation-read';
import { entityArg, instantArg } from './graph-args';
import { guard, jsonResult, scopeShape, type McpSession, type ToolCall } from './guard';
import type { ToolRegistry } from './tool-registry';

const RELATIONS_DEFAULT_LIMIT = 100;
const RELATIONS_MAX_LIMIT = 500;
const TYPE_MAX_CHARS = 64;

/** Letters first, then letters, digits, spaces, `_` or `-`; stored upper case with `_`, as the extractor writes types. */
const relationTypeArg = z
  .string()
  .min(1)
  .max(TYPE_MAX_CHARS)
  .regex(/^[A-Za-z][A-Za-z0-9 _-]*$/, { message: 'must start with a letter and hold only letters, digits, spaces, _ or -' })
  .describe(`The relation type, e.g. OWNS or works_on (1–${TYPE_MAX_CHARS} characters; stored upper case: WORKS_ON)`);

const endShape = {
  from_entity: entityArg.describe('Where the relation starts: an entity id, name or alias'),
  to_entity: entityArg.describe('Where it points: an entity id, name or alias'),
  relation_type: relationTypeArg,
};

/** Writes go to the caller's scope (a user's own memory; shared without a user); reads see what the caller may. */
function writerOf(call: ToolCall): RelationWriter {
  return { write: writeScope(call.userId, call.memoryId), read: call.scope, sessionId: call.sessionId };
}

/** The audit target of a call that did not get as far as a relation: the ends as the caller named them. */
function attempted(key: { from: string; to: string; type: string }): string {
  return `${key.from.slice(0, 100)} -[${relationTypeForKey(key.type)}]-> ${key.to.slice(0, 100)}`;
}

function describe(relation: RelationRecord): string {
  return `relation:${relation.id} ${relation.from.id} -[${relation.type}]-> ${relation.to.id}`;
}

/**
 * Relations over time as MCP tools with the Python server's names and arguments:
 * query_entity_relations (now or as of an instant), create_relation and delete_relation (manual edges).
 */
export function registerRelationTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;

  tools.register(
    'query_entity_relations',
    {
      title: 'An entity’s relations',
      description:
        'The relations of one entity (by id, name or alias) as the caller may see them, strongest first: type, direction, the other end, ' +
        'weight, confidence, origin (ingest, create_relation, federation), validity period and the notes behind it; those that hold now, or at as_of.',
      inputSchema: {
        entity: entityArg.optional().describe('The entity: its id, name or alias; entity or entity_id is required'),
        entity_id: entityArg.optional().describe('Python name for entity'),
        as_of: instantArg
          .optional()
          .describe(
            'Only relations valid at this ISO-8601 instant, e.g. 2026-11-01T10:00:00Z (default now; a later instant is now)',
          ),
        direction: z.enum(['both', 'in', 'out']).optional().describe('out: from the entity; in: to it; both (default)'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(RELATIONS_MAX_LIMIT)
          .optional()
          .describe(`At most this many relations, 1–${RELATIONS_MAX_LIMIT} (default ${RELATIONS_DEFAULT_LIMIT})`),
        ...scopeShape,
      },
      aliases: [{ ours: 'entity', python: 'entity_id', required: true }],
    },
    guard(session, 'query_entity_relations', (args, call) => {
      const ref = args.entity ?? '';
      const asOf = asOfTimestamp(args.as_of ? new Date(args.as_of) : null, engine.clock());
      const options = { asOf, direction: args.direction ?? 'both', limit: args.limit ?? RELATIONS_DEFAULT_LIMIT };
      const result = engine.track(
        { tool: 'query_entity_relations', sessionId: call.sessionId, identity: call.identity },
        () => engine.relationsOf(ref, options, call.scope),
        (found) => ({ entities: found.entity ? [found.entity.id] : [] }),
      );
      if (!result.entity) throw new UserError(`No entity named "${ref}" in project ${engine.project}.`);
      return jsonResult(result);
    }),
  );

  tools.register(
    'create_relation',
    {
      title: 'Create a relation',
      description:
        'States a relation between two entities, recorded as manual (origin create_relation, with the session): in the user’s own memory ' +
        'for a user, else in the shared graph. An ingest never removes it; delete_relation does. Stating an open relation again updates it.',
      inputSchema: {
        ...endShape,
        confidence: z.number().min(0).max(1).optional().describe('How sure the caller is, 0–1 (default 1.0)'),
        verify: z
          .boolean()
          .optional()
          .describe('true (default): both entities must exist for the caller; false: a missing one is created (type concept)'),
        valid_from: instantArg.optional().describe('ISO-8601 instant the relation holds from, not in the future (default now)'),
        valid_to: instantArg
          .optional()
          .describe('ISO-8601 instant it held until, for a past period; not in the future (default: it holds now)'),
        ...scopeShape,
      },
    },
    guard(session, 'create_relation', (args, call) => {
      const input = {
        from: args.from_entity,
        to: args.to_entity,
        type: args.relation_type,
        confidence: args.confidence ?? 1,
        verify: args.verify ?? true,
        validFrom: args.valid_from ? new Date(args.valid_from) : null,
        validTo: args.valid_to ? new Date(args.valid_to) : null,
      };
      call.target = attempted(input);
      const result = engine.track(
        { tool: 'create_relation', sessionId: call.sessionId, identity: call.identity },
        () => engine.createRelation(input, writerOf(call)),
        (made) => ({ entities: [made.relation.from.id, made.relation.to.id], relation_id: made.relation.id }),
      );
      call.target = describe(result.relation);
      return jsonResult(result);
    }),
  );

  tools.register(
    'delete_relation',
    {
      title: 'Delete a relation',
      description:
        'Ends a manual relation now (it stays in the history that as_of reads). A relation that comes from notes is refused: edit the note, ' +
        'or the next ingest brings it back.',
      inputSchema: { ...endShape, ...scopeShape },
    },
    guard(session, 'delete_relation', (args, call) => {
      const key = { from: args.from_entity, to: args.to_entity, type: args.relation_type };
      call.target = attempted(key);
      const closed = engine.track(
        { tool: 'delete_relation', sessionId: call.sessionId, identity: call.identity },
        () => engine.deleteRelation(key, writerOf(call)),
        (relation) => ({ entities: [relation.from.id, relation.to.id], relation_id: relation.id }),
      );
      call.target = describe(closed);
      return jsonResult({ closed });
    }),
  );
}
