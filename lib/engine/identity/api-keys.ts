import { createHash, randomBytes } from 'node:crypto';
import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import { UserError } from '../errors';
import type { CallerKey } from './caller';
import type { KeyEnvironment, KeyScope } from './key-scopes';

/** A key as listed: everything but the key and its hash. */
export interface ApiKeyInfo {
  id: string;
  prefix: string;
  name: string | null;
  env: KeyEnvironment;
  scopes: KeyScope[];
  user_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
}

/** A key just made: the only time its plaintext exists outside the caller's hands. */
export interface CreatedKey {
  id: string;
  prefix: string;
  key: string;
  env: KeyEnvironment;
  scopes: KeyScope[];
  user_id: string | null;
  name: string | null;
}

/** Why a presented key does not authenticate. */
export type KeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'rotated' | 'other-project';

const KEY_PATTERN = /^hm_(live|test|dev)_[A-Za-z0-9_-]{43}$/;
/** Characters of the key shown in lists and logs: hm_live_ plus 8 of its 43 random ones. */
const PREFIX_RANDOM = 8;

export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of a presented token that is safe to log (its first characters), or null if it is not shaped like a key. */
export function presentedPrefix(token: string): string | null {
  const match = /^hm_(live|test|dev)_[A-Za-z0-9_-]{8}/.exec(token);
  return match ? match[0] : null;
}

type KeyRow = Omit<ApiKeyInfo, 'scopes'> & { scopes: string; project: string; hash: string };

/**
 * The tenant's API keys in metrics.db. A key is `hm_<env>_` and 32 random bytes (base64url); only
 * its SHA-256 is stored, so the plaintext is in no file. Rotation makes a new key with the same
 * environment, scopes and user, and ends the old one at once.
 */
export class ApiKeys {
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO api_keys (id, project, prefix, hash, name, env, scopes, user_id, created_at)
        VALUES (@id, @project, @prefix, @hash, @name, @env, @scopes, @userId, @createdAt)`),
      byHash: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE hash = ?'),
      byId: db.prepare<[string, string], KeyRow>('SELECT * FROM api_keys WHERE id = ? AND project = ?'),
      list: db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE project = ? ORDER BY created_at DESC, id'),
      revoke: db.prepare('UPDATE api_keys SET revoked_at = ?, replaced_by = ? WHERE id = ? AND revoked_at IS NULL'),
      touch: db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
    };
  }

  create(
    input: { env: KeyEnvironment; scopes: KeyScope[]; name?: string | null; userId?: string | null },
    now: Date,
  ): CreatedKey {
    const key = `hm_${input.env}_${randomBytes(32).toString('base64url')}`;
    const created: CreatedKey = {
      id: `key_${randomBytes(6).toString('hex')}`,
      prefix: key.slice(0, `hm_${input.env}_`.length + PREFIX_RANDOM),
      key,
      env: input.env,
      scopes: input.scopes,
      user_id: input.userId ?? null,
      name: input.name ?? null,
    };
    this.stmt.insert.run({
      id: created.id,
      project: this.project,
      prefix: created.prefix,
      hash: keyHash(key),
      name: created.name,
      env: created.env,
      scopes: JSON.stringify(created.scopes),
      userId: created.user_id,
      createdAt: isoTimestamp(now),
    });
    return created;
  }

  list(): ApiKeyInfo[] {
    return this.stmt.list.all(this.project).map(info);
  }

  get(id: string): ApiKeyInfo {
    const row = this.stmt.byId.get(id, this.project);
    if (!row) throw new UserError(`no API key with id ${id} in project ${this.project} (hydramem keys list shows them).`, 2);
    return info(row);
  }

  /** A new key in place of `id` (same environment, scopes, user and name); the old one stops working now. */
  rotate(id: string, now: Date): CreatedKey {
    const old = this.get(id);
    if (old.revoked_at)
      throw new UserError(
        `API key ${id} is revoked${old.replaced_by ? ` (replaced by ${old.replaced_by})` : ''}; create a new one.`,
        2,
      );
    return this.db
      .transaction(() => {
        const fresh = this.create({ env: old.env, scopes: old.scopes, name: old.name, userId: old.user_id }, now);
        this.stmt.revoke.run(isoTimestamp(now), fresh.id, id);
        return fresh;
      })
      .immediate();
  }

  revoke(id: string, now: Date): ApiKeyInfo {
    const key = this.get(id);
    if (!key.revoked_at) this.stmt.revoke.run(isoTimestamp(now), null, id);
    return this.get(id);
  }

  /** The key a bearer token is, or why it is not one that may be used now. */
  authenticate(token: string): CallerKey | { refused: KeyRefusal } {
    if (!KEY_PATTERN.test(token)) return { refused: 'malformed' };
    const row = this.stmt.byHash.get(keyHash(token));
    if (!row) return { refused: 'unknown' };
    if (row.project !== this.project) return { refused: 'other-project' };
    if (row.revoked_at) return { refused: row.replaced_by ? 'rotated' : 'revoked' };
    const key = info(row);
    return { id: key.id, prefix: key.prefix, env: key.env, scopes: key.scopes, userId: key.user_id };
  }

  /** Records when keys were last used (batched by the telemetry recorder). */
  touch(uses: ReadonlyMap<string, Date>): void {
    for (const [id, at] of uses) {
      const ts = isoTimestamp(at);
      this.stmt.touch.run(ts, id, ts);
    }
  }
}

function info(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    env: row.env,
    scopes: JSON.parse(row.scopes) as KeyScope[],
    user_id: row.user_id,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    replaced_by: row.replaced_by,
  };
}

export const REFUSAL_TEXT: Record<KeyRefusal, string> = {
  malformed: 'the bearer token is not a HydraMem API key (hm_live_…, hm_test_… or hm_dev_…)',
  unknown: 'no such API key',
  revoked: 'this API key was revoked',
  rotated: 'this API key was rotated: use the key that replaced it',
  'other-project': 'this API key belongs to another project',
};
