import { normaliseName } from '../store/ids';
import type { DB } from '../store/open-writer';

export interface EntityMatch {
  id: string;
  name: string;
  type: string;
}

export const ENTITY_SEARCH_LIMIT = 50;

/** Entities whose name contains the text (letters and digits only, as ids normalise names). */
export function searchEntities(db: DB, project: string, text: string): { matches: EntityMatch[]; more: boolean } {
  const norm = normaliseName(text);
  if (norm.length === 0) return { matches: [], more: false };
  const like = `%${norm.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = db
    .prepare<[string, string, string, number], EntityMatch>(
      `SELECT id, name, type FROM entities WHERE project = ? AND norm LIKE ? ESCAPE '\\'
       ORDER BY (norm = ?) DESC, length(name), name LIMIT ?`,
    )
    .all(project, like, norm, ENTITY_SEARCH_LIMIT + 1);
  return { matches: rows.slice(0, ENTITY_SEARCH_LIMIT), more: rows.length > ENTITY_SEARCH_LIMIT };
}
