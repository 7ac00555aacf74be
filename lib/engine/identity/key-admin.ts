import type { Engine } from '../engine';
import type { ApiKeyInfo, CreatedKey } from './api-keys';
import type { KeyEnvironment, KeyScope } from './key-scopes';
import { checkUserId } from './users';

/** Creating, rotating and revoking keys, each recorded in the audit trail as `actor` did it. */
export function createKey(
  engine: Engine,
  actor: string,
  input: { env: KeyEnvironment; scopes: KeyScope[]; name?: string | null; userId?: string | null },
): CreatedKey {
  if (input.userId) {
    checkUserId(input.userId, '--user');
    engine.users.ensure(input.userId, engine.clock());
  }
  const created = engine.keys.create(input, engine.clock());
  engine.audit({
    actor,
    action: 'key.create',
    target: created.id,
    result: 'ok',
    reason: null,
    keyPrefix: created.prefix,
    endUser: created.user_id,
    detail: { env: created.env, scopes: created.scopes, name: created.name },
  });
  return created;
}

export function rotateKey(engine: Engine, actor: string, id: string): CreatedKey & { replaces: string } {
  const created = engine.keys.rotate(id, engine.clock());
  engine.audit({
    actor,
    action: 'key.rotate',
    target: id,
    result: 'ok',
    reason: null,
    keyPrefix: created.prefix,
    endUser: created.user_id,
    detail: { replaced_by: created.id },
  });
  return { ...created, replaces: id };
}

export function revokeKey(engine: Engine, actor: string, id: string): ApiKeyInfo {
  const key = engine.keys.revoke(id, engine.clock());
  engine.audit({
    actor,
    action: 'key.revoke',
    target: id,
    result: 'ok',
    reason: null,
    keyPrefix: key.prefix,
    endUser: key.user_id,
  });
  return key;
}
