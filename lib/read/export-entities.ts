import { batchOf, type ExportArgs, type ExportBatch } from './export-batch';
import { readModel } from './read-model';
import { sensitive } from './sensitive';

export const ENTITY_EXPORT_COLUMNS = ['id', 'name', 'type', 'created_at', 'updated_at'] as const;

interface EntityRow {
  id: string;
  name: string;
  type: string;
  created_at: string;
  updated_at: string;
}

/** The project's entities (optionally of one type) by type, name and id, a batch at a time. */
export const exportEntities = readModel({
  needs: ['graph'],
  read({ graph }, scope, args: ExportArgs<{ type: string | null }>): ExportBatch {
    // The cursor is the last row's (type, name, id) as JSON: names may hold any character.
    let after: [string, string, string] | null = null;
    try {
      const parsed: unknown = args.cursor ? JSON.parse(args.cursor) : null;
      if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string'))
        after = parsed as [string, string, string];
    } catch {
      after = null;
    }
    const rows = graph.db
      .prepare<Record<string, string | number | null>, EntityRow>(
        `SELECT ${ENTITY_EXPORT_COLUMNS.join(', ')} FROM entities WHERE project = @project AND (@type IS NULL OR type = @type)
           AND (@afterType IS NULL OR (type, name, id) > (@afterType, @afterName, @afterId))
         ORDER BY type, name, id LIMIT @limit`,
      )
      .all({
        project: scope.project,
        type: args.filters.type,
        afterType: after?.[0] ?? null,
        afterName: after?.[1] ?? null,
        afterId: after?.[2] ?? null,
        limit: args.limit + 1,
      });
    return batchOf(
      rows,
      args.limit,
      (row) => ({ ...row, name: sensitive(row.name) }),
      (row) => JSON.stringify([row.type, row.name, row.id]),
    );
  },
});
