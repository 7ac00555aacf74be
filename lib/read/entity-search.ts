import { normaliseName } from '../store/ids';
import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';

export interface EntityMatch {
  id: string;
  name: Sensitive;
  type: string;
}

export const ENTITY_SEARCH_LIMIT = 50;

/** Entities whose name contains the text (letters and digits only, as ids normalise names); the closest first. */
export const entitySearch = readModel({
  needs: ['graph'],
  read({ graph }, scope, args: { text: string }): { matches: EntityMatch[]; more: boolean } {
    const norm = normaliseName(args.text);
    if (norm.length === 0) return { matches: [], more: false };
    const like = `%${norm.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = graph.db
      .prepare<[string, string, string, number], { id: string; name: string; type: string }>(
        `SELECT id, name, type FROM entities WHERE project = ? AND norm LIKE ? ESCAPE '\\'
         ORDER BY (norm = ?) DESC, length(name), name LIMIT ?`,
      )
      .all(scope.project, like, norm, ENTITY_SEARCH_LIMIT + 1);
    return {
      matches: rows.slice(0, ENTITY_SEARCH_LIMIT).map((row) => ({ ...row, name: sensitive(row.name) })),
      more: rows.length > ENTITY_SEARCH_LIMIT,
    };
  },
});
