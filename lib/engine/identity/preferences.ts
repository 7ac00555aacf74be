import { randomBytes } from 'node:crypto';
import { normaliseName } from '../../store/ids';
import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import { UserError } from '../errors';

export interface EntityRef {
  name: string;
  type: string;
}

export interface Preference {
  id: string;
  user_id: string;
  category: string;
  text: string;
  applies_to: EntityRef[];
  valid_from: string;
  valid_until: string | null;
  superseded_by: string | null;
  /** At the instant asked about (as_of, or now): in force, or no longer. */
  status: 'active' | 'superseded';
}

interface PreferenceRow {
  id: string;
  user_id: string;
  category: string;
  text: string;
  valid_from: string;
  valid_until: string | null;
  superseded_by: string | null;
}

export interface PreferenceQuery {
  userId: string;
  appliesTo?: { name: string; type?: string | null } | null;
  /** Only those in force at the instant (default); otherwise every one made by then, the superseded included. */
  activeOnly: boolean;
  /** The instant to look at; now when absent. */
  asOf?: Date | null;
}

const LIMITS = { category: 200, text: 10_000, targets: 50, name: 300, type: 100 };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Whether a text is an ISO-8601 instant with a date, a time and an offset (`2026-11-01T10:00:00Z`), or a date. */
export function isIsoInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && !Number.isNaN(new Date(value).getTime());
}

/** An ISO-8601 instant with a date, a time and an offset (`2026-11-01T10:00:00Z`), for as_of and valid_from. */
export function parseInstant(value: string, argument: string): Date {
  if (!isIsoInstant(value))
    throw new UserError(`${argument} must be an ISO-8601 instant such as 2026-11-01T10:00:00Z; got "${value}".`, 2);
  return new Date(value);
}

function text(value: string, argument: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max) throw new UserError(`${argument} must be 1 to ${max} characters.`, 2);
  return trimmed;
}

/**
 * Preferences over time (one user's, in graph.db). A new preference is in force from when it is
 * added; superseding it by a newer one ends it then (valid_until) and links the two, so a read as
 * of any instant returns what was true then, and the history stays.
 */
export class Preferences {
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
  ) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO preferences (id, project, user_id, category, text, valid_from, created_at)
        VALUES (@id, @project, @userId, @category, @text, @validFrom, @createdAt)`),
      insertTarget: db.prepare('INSERT OR IGNORE INTO preference_targets (preference_id, name, norm, type) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[string, string], PreferenceRow>(
        'SELECT id, user_id, category, text, valid_from, valid_until, superseded_by FROM preferences WHERE project = ? AND id = ?',
      ),
      targets: db.prepare<[string], EntityRef>(
        'SELECT name, type FROM preference_targets WHERE preference_id = ? ORDER BY norm, type',
      ),
      supersede: db.prepare(
        'UPDATE preferences SET valid_until = ?, superseded_by = ? WHERE project = ? AND id = ? AND superseded_by IS NULL',
      ),
    };
  }

  add(input: { userId: string; category: string; text: string; appliesTo: EntityRef[] }, now: Date): Preference {
    if (input.appliesTo.length > LIMITS.targets) throw new UserError(`applies_to holds at most ${LIMITS.targets} entities.`, 2);
    const targets = input.appliesTo.map((target) => ({
      name: text(target.name, 'applies_to[].name', LIMITS.name),
      type: text(target.type || 'concept', 'applies_to[].type', LIMITS.type),
    }));
    const id = `pref_${randomBytes(6).toString('hex')}`;
    const ts = isoTimestamp(now);
    this.db
      .transaction(() => {
        this.stmt.insert.run({
          id,
          project: this.project,
          userId: input.userId,
          category: text(input.category, 'category', LIMITS.category),
          text: text(input.text, 'text', LIMITS.text),
          validFrom: ts,
          createdAt: ts,
        });
        for (const target of targets) this.stmt.insertTarget.run(id, target.name, normaliseName(target.name), target.type);
      })
      .immediate();
    return this.require(id, input.userId, now);
  }

  /** Ends `oldId` now in favour of `newId`; both must be the user's own. */
  supersede(oldId: string, newId: string, userId: string | null, now: Date): { superseded: Preference; by: Preference } {
    if (oldId === newId) throw new UserError('old_id and new_id are the same preference.', 2);
    const old = this.row(oldId, 'old_id');
    const replacement = this.row(newId, 'new_id');
    if (userId !== null && (old.user_id !== userId || replacement.user_id !== userId))
      throw new UserError(`both preferences must be user "${userId}"'s own.`, 2);
    if (old.user_id !== replacement.user_id)
      throw new UserError(
        `${oldId} is user "${old.user_id}"'s and ${newId} is user "${replacement.user_id}"'s: a preference is superseded by one of the same user.`,
        2,
      );
    if (old.superseded_by !== null) throw new UserError(`${oldId} was already superseded by ${old.superseded_by}.`, 2);
    if (replacement.superseded_by !== null)
      throw new UserError(`${newId} is itself superseded by ${replacement.superseded_by}.`, 2);
    this.stmt.supersede.run(isoTimestamp(now), newId, this.project, oldId);
    return { superseded: this.require(oldId, old.user_id, now), by: this.require(newId, old.user_id, now) };
  }

  /** A user's preferences at an instant: in force then, or (activeOnly false) every one made by then. */
  forUser(query: PreferenceQuery, now: Date): Preference[] {
    const at = isoTimestamp(query.asOf ?? now);
    const where = ['p.project = @project', 'p.user_id = @userId', 'p.valid_from <= @at'];
    if (query.activeOnly) where.push('(p.valid_until IS NULL OR p.valid_until > @at)');
    const target = query.appliesTo ? normaliseName(query.appliesTo.name) : null;
    if (query.appliesTo)
      where.push(
        'EXISTS (SELECT 1 FROM preference_targets t WHERE t.preference_id = p.id AND t.norm = @target AND (@targetType IS NULL OR t.type = @targetType))',
      );
    const rows = this.db
      .prepare<Record<string, string | null>, PreferenceRow>(
        `SELECT p.id, p.user_id, p.category, p.text, p.valid_from, p.valid_until, p.superseded_by FROM preferences p
         WHERE ${where.join(' AND ')} ORDER BY p.valid_from, p.id LIMIT 1000`,
      )
      .all({ project: this.project, userId: query.userId, at, target, targetType: query.appliesTo?.type ?? null });
    return rows.map((row) => this.withTargets(row, at));
  }

  private row(id: string, argument: string): PreferenceRow {
    const row = this.stmt.get.get(this.project, id);
    if (!row) throw new UserError(`${argument}: no preference with id ${id} in project ${this.project}.`, 2);
    return row;
  }

  private require(id: string, userId: string, now: Date): Preference {
    const row = this.row(id, 'id');
    if (row.user_id !== userId) throw new UserError(`no preference with id ${id} for user "${userId}".`, 2);
    return this.withTargets(row, isoTimestamp(now));
  }

  private withTargets(row: PreferenceRow, at: string): Preference {
    const active = row.valid_from <= at && (row.valid_until === null || row.valid_until > at);
    return { ...row, applies_to: this.stmt.targets.all(row.id), status: active ? 'active' : 'superseded' };
  }
}
