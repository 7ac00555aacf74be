import type { Command } from 'commander';
import type { ApiKeyInfo, CreatedKey } from '../../lib/engine/identity/api-keys';
import { createKey, revokeKey, rotateKey } from '../../lib/engine/identity/key-admin';
import { KEY_ENVIRONMENTS, KEY_SCOPES, parseScopes, type KeyEnvironment } from '../../lib/engine/identity/key-scopes';
import { UserError } from '../../lib/engine/errors';
import { cliActor } from '../cli-actor';
import { action, configWith } from '../cli-support';
import { withWriter, type WriterEndpoint } from '../writer-access';

async function remote<T>(writer: WriterEndpoint, tool: string, args: Record<string, unknown>): Promise<T> {
  const { callWriterTool } = await import('../../lib/engine/mcp/client');
  return (await callWriterTool(writer, tool, args)) as T;
}

function printCreated(created: CreatedKey, json: boolean | undefined, verb: string): void {
  if (json) {
    const { id, prefix, key, env, scopes } = created;
    process.stdout.write(`${JSON.stringify({ id, prefix, key, env, scopes, user_id: created.user_id, name: created.name })}\n`);
    return;
  }
  process.stdout.write(
    `${verb} API key ${created.id} (${created.env}; ${created.scopes.join(', ')}${created.user_id ? `; for user ${created.user_id}` : '; service key'})\n` +
      `${created.key}\n`,
  );
  process.stderr.write('hydramem: this is the only time the key is shown: only its hash is stored. Keep it somewhere safe.\n');
}

function formatKeys(keys: ApiKeyInfo[]): string {
  if (keys.length === 0) return 'no API keys yet: hydramem keys create --env live --scopes memory:read,memory:add';
  const rows = keys.map((key) => [
    key.id,
    key.prefix,
    key.name ?? '',
    key.env,
    key.scopes.join(','),
    key.user_id ?? '(service)',
    key.created_at.slice(0, 19),
    key.last_used_at?.slice(0, 19) ?? 'never',
    key.revoked_at
      ? `revoked ${key.revoked_at.slice(0, 19)}${key.replaced_by ? ` (rotated to ${key.replaced_by})` : ''}`
      : 'active',
  ]);
  const header = ['id', 'prefix', 'name', 'env', 'scopes', 'user', 'created', 'last used', 'state'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function parseEnvironment(value: string): KeyEnvironment {
  const env = KEY_ENVIRONMENTS.find((name) => name === value);
  if (!env) throw new UserError(`--env must be one of ${KEY_ENVIRONMENTS.join(', ')}; got "${value}".`, 2);
  return env;
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      'API keys for MCP over HTTP: create (shown once), list, rotate, revoke (through the running writer if one serves HTTP)',
    );

  keys
    .command('create')
    .description('Create a key bound to this project and an environment, with restrictive scopes')
    .requiredOption('--env <env>', `environment: ${KEY_ENVIRONMENTS.join(', ')} (the key's prefix shows it: hm_live_…)`)
    .requiredOption('--scopes <list>', `comma-separated scopes: ${KEY_SCOPES.join(', ')}`)
    .option('--name <name>', 'what the key is for')
    .option('--user <id>', 'bind the key to one end user (it acts only for them); without it, a service key')
    .option('--json', 'print {"id","prefix","key","env","scopes"}')
    .action(
      action(async (options: { env: string; scopes: string; name?: string; user?: string; json?: boolean }) => {
        const env = parseEnvironment(options.env);
        const scopes = parseScopes(options.scopes);
        if ('unknown' in scopes)
          throw new UserError(
            `--scopes takes ${KEY_SCOPES.join(', ')}${scopes.unknown.length ? `; not known: ${scopes.unknown.join(', ')}` : ''}.`,
            2,
          );
        const config = configWith({});
        const input = { env, scopes, name: options.name ?? null, userId: options.user ?? null };
        const created = await withWriter(
          config,
          'hydramem keys create',
          (engine) => createKey(engine, cliActor(), input),
          (writer) => remote<CreatedKey>(writer, 'create_api_key', { env, scopes, name: options.name, user_id: options.user }),
        );
        printCreated(created, options.json, 'created');
      }),
    );

  keys
    .command('list')
    .description('Every key: prefix, name, environment, scopes, user, created, last used, revoked (never the key or its hash)')
    .option('--json', 'print the keys as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const config = configWith({});
        const list = await withWriter(
          config,
          'hydramem keys list',
          (engine) => engine.keys.list(),
          async (writer) => (await remote<{ keys: ApiKeyInfo[] }>(writer, 'list_api_keys', {})).keys,
        );
        process.stdout.write(options.json ? `${JSON.stringify(list, null, 2)}\n` : `${formatKeys(list)}\n`);
      }),
    );

  keys
    .command('rotate <id>')
    .description('A new key in place of one (shown once); the old one stops working at once')
    .option('--json', 'print {"id","prefix","key","env","scopes"}')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        const config = configWith({});
        const created = await withWriter(
          config,
          'hydramem keys rotate',
          (engine) => rotateKey(engine, cliActor(), id),
          (writer) => remote<CreatedKey>(writer, 'rotate_api_key', { id }),
        );
        printCreated(created, options.json, `rotated ${id}: new`);
      }),
    );

  keys
    .command('revoke <id>')
    .description('The key stops working at once')
    .option('--json', 'print the revoked key as JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        const config = configWith({});
        const key = await withWriter(
          config,
          'hydramem keys revoke',
          (engine) => revokeKey(engine, cliActor(), id),
          (writer) => remote<ApiKeyInfo>(writer, 'revoke_api_key', { id }),
        );
        process.stdout.write(options.json ? `${JSON.stringify(key, null, 2)}\n` : `revoked ${key.id} (${key.prefix})\n`);
      }),
    );
}
