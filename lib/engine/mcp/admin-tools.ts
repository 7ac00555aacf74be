import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolRegistry } from './tool-registry';
import { createKey, revokeKey, rotateKey } from '../identity/key-admin';
import { KEY_ENVIRONMENTS, KEY_SCOPES } from '../identity/key-scopes';
import { errorResult, jsonResult, type McpSession } from './guard';

/**
 * The command line's tools, for `hydramem keys` and `hydramem users` while a writer serves HTTP.
 * Only a session opened by the command line on the writer's host (with the token the writer
 * leaves for it in the data directory) gets them; API keys never do.
 */
export function registerAdminTools(tools: ToolRegistry, session: McpSession): void {
  if (session.opener.kind !== 'cli') return;
  const { engine } = session;
  const actor = (): string => session.opener.actor;
  const run = (work: () => unknown): CallToolResult => {
    try {
      engine.recorder.flush();
      const result = jsonResult(work());
      engine.recorder.flush();
      return result;
    } catch (error) {
      return errorResult(error);
    }
  };

  tools.register(
    'create_api_key',
    {
      title: 'Create an API key',
      description: 'A new key (shown once), bound to this project and an environment, with its scopes and optionally a user.',
      inputSchema: {
        env: z.enum(KEY_ENVIRONMENTS),
        scopes: z.array(z.enum(KEY_SCOPES)).min(1),
        name: z.string().min(1).max(200).optional(),
        user_id: z.string().min(1).max(200).optional(),
      },
    },
    async (args) =>
      run(() => createKey(engine, actor(), { env: args.env, scopes: args.scopes, name: args.name, userId: args.user_id })),
  );
  tools.register(
    'list_api_keys',
    { title: 'List API keys', description: 'Every key of the project, without the keys themselves.', inputSchema: {} },
    async () => run(() => ({ keys: engine.keys.list() })),
  );
  tools.register(
    'rotate_api_key',
    {
      title: 'Rotate an API key',
      description: 'A new key in place of one; the old one stops working at once.',
      inputSchema: { id: z.string().min(1).max(100) },
    },
    async (args) => run(() => rotateKey(engine, actor(), args.id)),
  );
  tools.register(
    'revoke_api_key',
    {
      title: 'Revoke an API key',
      description: 'The key stops working at once.',
      inputSchema: { id: z.string().min(1).max(100) },
    },
    async (args) => run(() => revokeKey(engine, actor(), args.id)),
  );
  tools.register(
    'list_users',
    { title: 'List users', description: 'Every user record of the project.', inputSchema: {} },
    async () => run(() => ({ users: engine.users.list() })),
  );
  tools.register(
    'show_user',
    { title: 'Show a user', description: 'One user record.', inputSchema: { identifier: z.string().min(1).max(200) } },
    async (args) => run(() => engine.users.require(args.identifier)),
  );
}
