import { containsPattern } from '../store/like';
import { normaliseName } from '../store/ids';
import { scopeParams, visibleTo } from '../store/scope';
import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';

export interface EntityMatch {
  id: string;
  name: Sensitive;
  type: string;
}

export const ENTITY_SEARCH_LIMIT = 50;

/**
 * Entities whose name contains the text (letters and digits only, as ids normalise names); the
 * closest first. With a user, only what that user may see (the shared graph and their memories).
 */
export const entitySearch = readModel({
  needs: ['graph'],
  read(
    { graph },
    scope,
    args: { text: string; user: string | null; memory: string | null },
  ): { matches: EntityMatch[]; more: boolean } {
    const norm = normaliseName(args.text);
    if (norm.length === 0) return { matches: [], more: false };
    const like = containsPattern(norm);
    const rows = graph.db
      .prepare<Record<string, string | number | null>, { id: string; name: string; type: string }>(
        `SELECT id, name, type FROM entities e WHERE project = @project AND norm LIKE @like ESCAPE '\\'
           AND (@scopeUser IS NULL OR ${visibleTo('e')})
         ORDER BY (norm = @norm) DESC, length(name), name LIMIT @limit`,
      )
      .all({
        project: scope.project,
        like,
        norm,
        limit: ENTITY_SEARCH_LIMIT + 1,
        ...scopeParams({ userId: args.user, memoryId: args.memory }),
      });
    return {
      matches: rows.slice(0, ENTITY_SEARCH_LIMIT).map((row) => ({ ...row, name: sensitive(row.name) })),
      more: rows.length > ENTITY_SEARCH_LIMIT,
    };
  },
});
