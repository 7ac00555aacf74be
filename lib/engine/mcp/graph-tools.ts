import { z } from 'zod';
import { UserError } from '../errors';
import { asOfTimestamp } from '../relations/relation-read';
import { entityArg, instantArg } from './graph-args';
import { guard, jsonResult, scopeShape, type McpSession } from './guard';
import type { ToolRegistry } from './tool-registry';

const NEIGHBOUR_DEFAULT_LIMIT = 25;
const MAX_HOPS = 3;

export function registerGraphTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;

  tools.register(
    'get_entity_neighbors_tool',
    {
      title: 'Entity neighbours',
      description:
        'The entities related to one entity (by id, name or alias), strongest relations first, as the caller may see them; ' +
        `with hops > 1 also their neighbours, each listed once at its shortest distance with the entity it was reached from; ` +
        'with as_of, over the relations that held at that instant.',
      inputSchema: {
        entity: entityArg.optional().describe('The entity: its id, name or alias; entity or entity_id is required'),
        entity_id: entityArg.optional().describe('Python name for entity'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe(`At most this many neighbours, 1–100 (default ${NEIGHBOUR_DEFAULT_LIMIT})`),
        hops: z.number().int().min(1).max(MAX_HOPS).optional().describe(`How many relations away, 1–${MAX_HOPS} (default 1)`),
        as_of: instantArg
          .optional()
          .describe(
            'Only relations valid at this ISO-8601 instant, e.g. 2026-11-01T10:00:00Z (default now; a later instant is now)',
          ),
        ...scopeShape,
      },
      aliases: [{ ours: 'entity', python: 'entity_id', required: true }],
    },
    guard(session, 'get_entity_neighbors_tool', (args, call) => {
      const ref = args.entity ?? '';
      const asOf = asOfTimestamp(args.as_of ? new Date(args.as_of) : null, engine.clock());
      const result = engine.track(
        { tool: 'get_entity_neighbors_tool', sessionId: call.sessionId, identity: call.identity },
        () => engine.neighbours(ref, args.limit ?? NEIGHBOUR_DEFAULT_LIMIT, call.scope, args.hops ?? 1, asOf),
        (found) => ({ entities: found.entity ? [found.entity.id] : [] }),
      );
      if (!result.entity) throw new UserError(`No entity named "${ref}" in project ${engine.project}.`);
      return jsonResult(result);
    }),
  );

  // Listing and status tools write no event, as in the Python HydraMem.
  tools.register(
    'list_entities_tool',
    {
      title: 'List entities',
      description:
        'Entities the caller may see (the shared graph, plus the user’s own), most mentioned first, optionally filtered by type or name.',
      inputSchema: {
        type: z.string().max(100).optional().describe('Only entities of this type, e.g. person (default: all types)'),
        query: z.string().max(200).optional().describe('Only entities whose name contains this (default: all)'),
        limit: z.number().int().min(1).max(1000).optional().describe('At most this many, 1–1,000 (default 100)'),
        offset: z.number().int().min(0).optional().describe('Skip this many first, for paging (default 0)'),
        ...scopeShape,
      },
    },
    guard(session, 'list_entities_tool', (args, call) =>
      jsonResult(
        engine.entities({ type: args.type, query: args.query, limit: args.limit ?? 100, offset: args.offset ?? 0 }, call.scope),
      ),
    ),
  );

  tools.register(
    'hydramem_stats_tool',
    {
      title: 'Memory statistics',
      description:
        'Tool calls, searches, latency, tokens saved and graph size over the last N days: for a user their own calls and the graph they see.',
      inputSchema: {
        days: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .optional()
          .describe('How many days back, 1–3,650 (default 30 here; 7 in the Python server)'),
        ...scopeShape,
      },
    },
    guard(session, 'hydramem_stats_tool', (args, call) => jsonResult(engine.stats(args.days ?? 30, call.scope))),
  );
}
