import { hasTable } from '../store/open-readonly';
import { readModel } from './read-model';
import { sensitiveOrNull, type Sensitive } from './sensitive';

export interface ApiKeyRow {
  id: string;
  prefix: string;
  name: string | null;
  env: string;
  scopes: string[];
  user_id: Sensitive | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
}

/** The project's API keys as `hydramem keys list` shows them: never the key, never its hash. */
export const apiKeyList = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): ApiKeyRow[] | null {
    if (!hasTable(metrics.db, 'api_keys')) return null;
    return metrics.db
      .prepare<[string], Omit<ApiKeyRow, 'scopes' | 'user_id'> & { scopes: string; user_id: string | null }>(
        `SELECT id, prefix, name, env, scopes, user_id, created_at, last_used_at, revoked_at, replaced_by FROM api_keys
         WHERE project = ? ORDER BY created_at DESC, id LIMIT 1000`,
      )
      .all(scope.project)
      .map((row) => ({ ...row, scopes: JSON.parse(row.scopes) as string[], user_id: sensitiveOrNull(row.user_id) }));
  },
});
