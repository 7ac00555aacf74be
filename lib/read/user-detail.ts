import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';
import { tsBounds } from './window';

export interface PreferenceRow {
  id: string;
  category: Sensitive;
  text: Sensitive;
  applies_to: Array<{ name: Sensitive; type: string }>;
  valid_from: string;
  valid_until: string | null;
  superseded_by: string | null;
}

export interface UserDetail {
  identifier: Sensitive;
  attributes: Sensitive;
  created_at: string;
  last_seen_at: string;
  memories: Array<{ memory_id: Sensitive; documents: number; chunks: number; updated_at: string }>;
  /** Every preference, oldest first: the timeline (at most PREFERENCE_CAP). */
  preferences: PreferenceRow[];
  preferencesTotal: number;
  /** Ids of the preferences in force at the instant asked about (as_of, or the window's end). */
  inForce: string[];
  asOf: string;
}

export const PREFERENCE_CAP = 500;

/** One user of the project: attributes, memories, and their preferences over time. */
export const userDetail = readModel({
  needs: ['graph'],
  read({ graph }, scope, args: { identifier: string; asOf: Date | null }): UserDetail | null {
    const { db } = graph;
    const user = db
      .prepare<[string, string], { identifier: string; attributes: string; created_at: string; last_seen_at: string }>(
        'SELECT identifier, attributes, created_at, last_seen_at FROM users WHERE project = ? AND identifier = ?',
      )
      .get(scope.project, args.identifier);
    if (!user) return null;
    const memories = db
      .prepare<[string, string], { memory_id: string; documents: number; chunks: number; updated_at: string }>(
        `SELECT d.memory_id, COUNT(*) AS documents, SUM((SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id)) AS chunks,
           MAX(d.updated_at) AS updated_at
         FROM documents d WHERE d.project = ? AND d.user_id = ? GROUP BY d.memory_id ORDER BY d.memory_id LIMIT 200`,
      )
      .all(scope.project, args.identifier);
    const preferences = db
      .prepare<
        [string, string, number],
        Omit<PreferenceRow, 'applies_to' | 'category' | 'text'> & { category: string; text: string }
      >(
        `SELECT id, category, text, valid_from, valid_until, superseded_by FROM preferences WHERE project = ? AND user_id = ?
         ORDER BY valid_from, id LIMIT ?`,
      )
      .all(scope.project, args.identifier, PREFERENCE_CAP);
    const total =
      db
        .prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM preferences WHERE project = ? AND user_id = ?')
        .get(scope.project, args.identifier)?.n ?? 0;
    const targets = db.prepare<[string], { name: string; type: string }>(
      'SELECT name, type FROM preference_targets WHERE preference_id = ? ORDER BY norm, type',
    );
    const asOf = args.asOf ? tsBounds({ from: args.asOf, to: args.asOf }).to : tsBounds(scope).to;
    return {
      identifier: sensitive(user.identifier),
      attributes: sensitive(user.attributes),
      created_at: user.created_at,
      last_seen_at: user.last_seen_at,
      memories: memories.map((memory) => ({ ...memory, memory_id: sensitive(memory.memory_id) })),
      preferences: preferences.map((row) => ({
        ...row,
        category: sensitive(row.category),
        text: sensitive(row.text),
        applies_to: targets.all(row.id).map((target) => ({ name: sensitive(target.name), type: target.type })),
      })),
      preferencesTotal: total,
      inForce: preferences
        .filter((row) => row.valid_from <= asOf && (row.valid_until === null || row.valid_until > asOf))
        .map((row) => row.id),
      asOf,
    };
  },
});
