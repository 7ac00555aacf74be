import { isUserId } from '../../config';
import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import { UserError } from '../errors';

export interface UserRecord {
  identifier: string;
  attributes: Record<string, unknown>;
  created_at: string;
  last_seen_at: string;
}

/** Attributes are a small JSON object: at most 50 keys, 16 KiB. */
const MAX_ATTRIBUTE_BYTES = 16 * 1024;

export function checkUserId(identifier: string, argument = 'user_id'): string {
  if (!isUserId(identifier))
    throw new UserError(`${argument} must be 1 to 200 printable characters without leading or trailing spaces.`, 2);
  return identifier;
}

function checkAttributes(attributes: Record<string, unknown>): string {
  const json = JSON.stringify(attributes);
  if (Object.keys(attributes).length > 50 || Buffer.byteLength(json) > MAX_ATTRIBUTE_BYTES)
    throw new UserError('user attributes are at most 50 keys and 16 KiB of JSON.', 2);
  return json;
}

/**
 * The tenant's users in graph.db: one record per identifier (unique in the database), with
 * attributes as JSON, when it was created and when it was last seen. Upserting is idempotent: the
 * attributes given are merged into those stored.
 */
export class Users {
  private readonly stmt;
  /** When each user was last written as seen, so a busy user costs one write a minute, not one a call. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      get: db.prepare<[string, string], { identifier: string; attributes: string; created_at: string; last_seen_at: string }>(
        'SELECT identifier, attributes, created_at, last_seen_at FROM users WHERE project = ? AND identifier = ?',
      ),
      list: db.prepare<[string], { identifier: string; attributes: string; created_at: string; last_seen_at: string }>(
        'SELECT identifier, attributes, created_at, last_seen_at FROM users WHERE project = ? ORDER BY identifier',
      ),
      upsert: db.prepare(`INSERT INTO users (project, identifier, attributes, created_at, last_seen_at)
        VALUES (@project, @identifier, @attributes, @now, @now)
        ON CONFLICT(project, identifier) DO UPDATE SET attributes = json_patch(users.attributes, excluded.attributes),
          last_seen_at = excluded.last_seen_at`),
      ensure: db.prepare(`INSERT INTO users (project, identifier, attributes, created_at, last_seen_at)
        VALUES (?, ?, '{}', ?, ?) ON CONFLICT(project, identifier) DO UPDATE SET last_seen_at = excluded.last_seen_at`),
      touch: db.prepare('UPDATE users SET last_seen_at = ? WHERE project = ? AND identifier = ? AND last_seen_at < ?'),
    };
  }

  upsert(identifier: string, attributes: Record<string, unknown>, now: Date): UserRecord {
    checkUserId(identifier, 'identifier');
    this.stmt.upsert.run({ project: this.project, identifier, attributes: checkAttributes(attributes), now: isoTimestamp(now) });
    return this.require(identifier);
  }

  /** Makes sure a user a write is for has a record (writes create their user), and marks it seen. */
  ensure(identifier: string, now: Date): void {
    const ts = isoTimestamp(now);
    this.stmt.ensure.run(this.project, identifier, ts, ts);
    this.seen.set(identifier, now.getTime());
  }

  /** Marks a known user seen (a read on their behalf), at most once a minute. */
  touch(identifier: string, now: Date): void {
    const last = this.seen.get(identifier);
    if (last !== undefined && now.getTime() - last < 60_000) return;
    this.seen.set(identifier, now.getTime());
    if (this.seen.size > 10_000) this.seen.clear();
    const ts = isoTimestamp(now);
    this.stmt.touch.run(ts, this.project, identifier, ts);
  }

  get(identifier: string): UserRecord | null {
    const row = this.stmt.get.get(this.project, identifier);
    return row ? { ...row, attributes: JSON.parse(row.attributes) as Record<string, unknown> } : null;
  }

  require(identifier: string): UserRecord {
    const user = this.get(identifier);
    if (!user) throw new UserError(`no user "${identifier}" in project ${this.project}.`, 2);
    return user;
  }

  list(): UserRecord[] {
    return this.stmt.list
      .all(this.project)
      .map((row) => ({ ...row, attributes: JSON.parse(row.attributes) as Record<string, unknown> }));
  }
}
