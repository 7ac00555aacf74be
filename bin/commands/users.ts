import type { Command } from 'commander';
import type { Engine } from '../../lib/engine/engine';
import { UserError } from '../../lib/engine/errors';
import { parseInstant, type Preference } from '../../lib/engine/identity/preferences';
import type { UserRecord } from '../../lib/engine/identity/users';
import { cliActor } from '../cli-actor';
import { action, configWith } from '../cli-support';
import { withWriter, type WriterEndpoint } from '../writer-access';

async function remote<T>(writer: WriterEndpoint, tool: string, args: Record<string, unknown>): Promise<T> {
  const { callWriterTool } = await import('../../lib/engine/mcp/client');
  return (await callWriterTool(writer, tool, args)) as T;
}

/** A write from the command line, in the audit trail like any other. */
function audited<T>(engine: Engine, actionName: string, target: (result: T) => string, endUser: string | null, run: () => T): T {
  const result = run();
  engine.audit({
    actor: cliActor(),
    action: actionName,
    target: target(result),
    result: 'ok',
    reason: null,
    keyPrefix: null,
    endUser,
  });
  return result;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseAttributes(pairs: string[]): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UserError(`--attr takes key=value; got "${pair}".`, 2);
    attributes[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return attributes;
}

/** "Healthcare:Industry" (the type defaults to concept). */
function parseRef(text: string): { name: string; type: string } {
  const at = text.lastIndexOf(':');
  return at > 0 ? { name: text.slice(0, at), type: text.slice(at + 1) } : { name: text, type: 'concept' };
}

function formatUser(user: UserRecord): string {
  return `${user.identifier}  ${JSON.stringify(user.attributes)}  created ${user.created_at.slice(0, 19)}  last seen ${user.last_seen_at.slice(0, 19)}`;
}

function formatPreference(p: Preference): string {
  const about = p.applies_to.length ? ` (about ${p.applies_to.map((ref) => `${ref.name}:${ref.type}`).join(', ')})` : '';
  const until = p.valid_until
    ? ` until ${p.valid_until.slice(0, 19)}${p.superseded_by ? `, superseded by ${p.superseded_by}` : ''}`
    : '';
  return `${p.id}  [${p.status}]  ${p.category}: ${p.text}${about}  from ${p.valid_from.slice(0, 19)}${until}`;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description("The tenant's users: create or update, list, show");
  users
    .command('upsert <id>')
    .description('Create a user or merge attributes into it (idempotent)')
    .option('--attr <key=value>', 'an attribute (repeatable)', collect, [])
    .option('--json', 'print the user as JSON')
    .action(
      action(async (id: string, options: { attr: string[]; json?: boolean }) => {
        const attributes = parseAttributes(options.attr);
        const config = configWith({});
        const user = await withWriter(
          config,
          'hydramem users upsert',
          (engine) =>
            audited(
              engine,
              'user.upsert',
              () => id,
              id,
              () => engine.users.upsert(id, attributes, engine.clock()),
            ),
          (writer) => remote<UserRecord>(writer, 'upsert_user', { identifier: id, attributes }),
        );
        process.stdout.write(options.json ? `${JSON.stringify(user, null, 2)}\n` : `${formatUser(user)}\n`);
      }),
    );
  users
    .command('list')
    .description('Every user')
    .option('--json', 'print the users as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const config = configWith({});
        const list = await withWriter(
          config,
          'hydramem users list',
          (engine) => engine.users.list(),
          async (writer) => (await remote<{ users: UserRecord[] }>(writer, 'list_users', {})).users,
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify(list, null, 2)}\n`
            : `${list.length ? list.map(formatUser).join('\n') : 'no users yet'}\n`,
        );
      }),
    );
  users
    .command('show <id>')
    .description('One user')
    .option('--json', 'print the user as JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        const config = configWith({});
        const user = await withWriter(
          config,
          'hydramem users show',
          (engine) => engine.users.require(id),
          (writer) => remote<UserRecord>(writer, 'show_user', { identifier: id }),
        );
        process.stdout.write(options.json ? `${JSON.stringify(user, null, 2)}\n` : `${formatUser(user)}\n`);
      }),
    );
}

export function registerPreferences(program: Command): void {
  const preferences = program.command('preferences').description("A user's preferences over time: add, supersede, list");
  preferences
    .command('add')
    .description('Record a preference, in force from now')
    .requiredOption('--user <id>', 'whose preference')
    .requiredOption('--category <text>', 'what it is about, e.g. consultants')
    .requiredOption('--text <text>', 'the preference, e.g. "Senior on healthcare"')
    .option('--applies-to <name:type>', 'an entity it applies to (repeatable)', collect, [])
    .option('--json', 'print the preference as JSON')
    .action(
      action(async (options: { user: string; category: string; text: string; appliesTo: string[]; json?: boolean }) => {
        const appliesTo = options.appliesTo.map(parseRef);
        const config = configWith({});
        const added = await withWriter(
          config,
          'hydramem preferences add',
          (engine) =>
            audited(
              engine,
              'preference.add',
              (p: Preference) => p.id,
              options.user,
              () => {
                engine.users.ensure(options.user, engine.clock());
                return engine.preferences.add(
                  { userId: options.user, category: options.category, text: options.text, appliesTo },
                  engine.clock(),
                );
              },
            ),
          (writer) =>
            remote<Preference>(writer, 'add_preference', {
              user_id: options.user,
              category: options.category,
              text: options.text,
              applies_to: appliesTo,
            }),
        );
        process.stdout.write(options.json ? `${JSON.stringify(added, null, 2)}\n` : `${formatPreference(added)}\n`);
      }),
    );
  preferences
    .command('supersede <old-id> <new-id>')
    .description('End a preference now in favour of a newer one of the same user')
    .option('--user <id>', 'whose preferences (checked)')
    .option('--json', 'print both as JSON')
    .action(
      action(async (oldId: string, newId: string, options: { user?: string; json?: boolean }) => {
        const config = configWith({});
        const result = await withWriter(
          config,
          'hydramem preferences supersede',
          (engine) =>
            audited(
              engine,
              'preference.supersede',
              () => `${oldId} -> ${newId}`,
              options.user ?? null,
              () => engine.preferences.supersede(oldId, newId, options.user ?? null, engine.clock()),
            ),
          (writer) =>
            remote<{ superseded: Preference; by: Preference }>(writer, 'supersede_preference', {
              old_id: oldId,
              new_id: newId,
              user_id: options.user,
            }),
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `${formatPreference(result.superseded)}\n${formatPreference(result.by)}\n`,
        );
      }),
    );
  preferences
    .command('list')
    .description('A user’s preferences in force (now, or --as-of), or with --all their history')
    .requiredOption('--user <id>', 'whose preferences')
    .option('--all', 'also those superseded')
    .option('--as-of <instant>', 'what was true at this ISO-8601 instant, e.g. 2026-11-01T10:00:00Z')
    .option('--applies-to <name[:type]>', 'only those about this entity')
    .option('--json', 'print the preferences as JSON')
    .action(
      action(async (options: { user: string; all?: boolean; asOf?: string; appliesTo?: string; json?: boolean }) => {
        const asOf = options.asOf ? parseInstant(options.asOf, '--as-of') : null;
        const ref = options.appliesTo ? parseRef(options.appliesTo) : null;
        const appliesTo = ref && !options.appliesTo?.includes(':') ? { name: ref.name, type: null } : ref;
        const config = configWith({});
        const list = await withWriter(
          config,
          'hydramem preferences list',
          (engine) =>
            engine.preferences.forUser({ userId: options.user, appliesTo, activeOnly: !options.all, asOf }, engine.clock()),
          async (writer) =>
            (
              await remote<{ preferences: Preference[] }>(writer, 'get_preferences_for', {
                user_id: options.user,
                active_only: !options.all,
                as_of: options.asOf,
                applies_to: appliesTo ? { name: appliesTo.name, ...(appliesTo.type ? { type: appliesTo.type } : {}) } : undefined,
              })
            ).preferences,
        );
        process.stdout.write(
          options.json
            ? `${JSON.stringify(list, null, 2)}\n`
            : `${list.length ? list.map(formatPreference).join('\n') : `no preferences for ${options.user}`}\n`,
        );
      }),
    );
}
