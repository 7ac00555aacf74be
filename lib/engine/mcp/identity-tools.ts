import { z } from 'zod';
import type { ToolRegistry } from './tool-registry';
import { UserError } from '../errors';
import { effectiveUser, RefusedError } from '../identity/caller';
import { hasScope } from '../identity/key-scopes';
import { parseInstant } from '../identity/preferences';
import { checkUserId } from '../identity/users';
import { guard, jsonResult, scopeShape, type McpSession, type ToolCall } from './guard';

const entityRef = z.object({
  name: z.string().min(1).max(300).describe('Entity name, e.g. Healthcare'),
  type: z.string().min(1).max(100).optional().describe('Entity type, e.g. Industry (default concept)'),
});

function requireUser(call: ToolCall, tool: string): string {
  if (call.userId === null) throw new UserError(`${tool} needs the user it is for: give user_id (or user_identifier).`, 2);
  return call.userId;
}

/**
 * Users and their preferences over time, as MCP tools with the seed's names and arguments:
 * upsert_user, add_preference, supersede_preference, get_preferences_for.
 */
export function registerIdentityTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;

  tools.register(
    'upsert_user',
    {
      title: 'Create or update a user',
      description:
        'Makes sure a user record exists (idempotent; safe on every session start) and merges the given attributes into it.',
      inputSchema: {
        identifier: z.string().min(1).max(200).optional().describe('The user’s stable identifier, typically an e-mail address'),
        attributes: z.record(z.string(), z.unknown()).optional().describe('Attributes to merge, e.g. {"role": "manager"}'),
        ...scopeShape,
      },
    },
    guard(session, 'upsert_user', (args, call) => {
      const identifier = effectiveUser(call.caller, args.identifier ?? call.userId);
      if (identifier === null) throw new UserError('upsert_user needs the identifier of the user.', 2);
      call.target = checkUserId(identifier, 'identifier');
      return jsonResult(engine.users.upsert(identifier, args.attributes ?? {}, engine.clock()));
    }),
  );

  tools.register(
    'add_preference',
    {
      title: 'Add a preference',
      description:
        'Records what a user prefers, in force from now until superseded; applies_to names the entities it is about. Returns it with its id.',
      inputSchema: {
        category: z.string().min(1).max(200).describe('What the preference is about, e.g. consultants'),
        text: z.string().min(1).max(10_000).describe('The preference, e.g. Senior on healthcare'),
        applies_to: z.array(entityRef).max(50).optional().describe('Entities the preference applies to'),
        ...scopeShape,
      },
    },
    guard(session, 'add_preference', (args, call) => {
      const userId = requireUser(call, 'add_preference');
      engine.users.ensure(userId, engine.clock());
      const preference = engine.preferences.add(
        {
          userId,
          category: args.category,
          text: args.text,
          appliesTo: (args.applies_to ?? []).map((ref) => ({ name: ref.name, type: ref.type ?? 'concept' })),
        },
        engine.clock(),
      );
      call.target = preference.id;
      return jsonResult(preference);
    }),
  );

  tools.register(
    'supersede_preference',
    {
      title: 'Supersede a preference',
      description:
        'Ends a preference now in favour of a newer one of the same user (sets valid_until and the superseded-by link); history is kept.',
      inputSchema: {
        old_id: z.string().min(1).max(100).describe('The preference that no longer holds'),
        new_id: z.string().min(1).max(100).describe('The preference that replaces it'),
        ...scopeShape,
      },
    },
    guard(session, 'supersede_preference', (args, call) => {
      if (call.userId === null && !hasScope(call.caller.scopes, 'memory:*'))
        throw new RefusedError('refused: name the user the preferences are for (user_id).');
      call.target = `${args.old_id} -> ${args.new_id}`;
      return jsonResult(engine.preferences.supersede(args.old_id, args.new_id, call.userId, engine.clock()));
    }),
  );

  tools.register(
    'get_preferences_for',
    {
      title: 'A user’s preferences',
      description:
        'The preferences in force for a user (at as_of, or now), optionally only those applying to one entity; active_only=false adds the superseded ones.',
      inputSchema: {
        applies_to: z
          .union([entityRef, z.array(entityRef).max(1)])
          .optional()
          .describe('Only preferences about this entity'),
        active_only: z.boolean().optional().describe('Only those in force (default true)'),
        as_of: z.string().max(40).optional().describe('ISO-8601 instant to look at, e.g. 2026-11-01T10:00:00Z (default now)'),
        ...scopeShape,
      },
    },
    guard(session, 'get_preferences_for', (args, call) => {
      const userId = requireUser(call, 'get_preferences_for');
      const target = Array.isArray(args.applies_to) ? args.applies_to[0] : args.applies_to;
      const preferences = engine.preferences.forUser(
        {
          userId,
          appliesTo: target ? { name: target.name, type: target.type ?? null } : null,
          activeOnly: args.active_only ?? true,
          asOf: args.as_of ? parseInstant(args.as_of, 'as_of') : null,
        },
        engine.clock(),
      );
      return jsonResult({ user_id: userId, as_of: args.as_of ?? null, preferences });
    }),
  );
}
