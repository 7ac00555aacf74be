import { asLogRow, QUERY_LOG_COLUMNS, type QueryLogRow, type StoredLogRow } from './query-log';
import { readModel } from './read-model';
import { sensitive, sensitiveOrNull, type Sensitive } from './sensitive';

export interface QueryDetail {
  row: QueryLogRow;
  chunks: Array<{ id: string; source: string; heading: Sensitive | null; text: Sensitive | null; present: boolean }>;
  entities: Array<{ id: string; name: Sensitive | null; type: string | null }>;
}

/** Ids of what a search returned, as the writer logged them (at most 200 shown). */
function idList(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string').slice(0, 200) : [];
  } catch {
    return [];
  }
}

/** One logged search of the project with the chunks and entities it returned, as they are in the graph now. */
export const queryDetail = readModel({
  needs: ['metrics'],
  optional: ['graph'],
  read({ metrics, graph }, scope, args: { id: number }): QueryDetail | null {
    const row = metrics.db
      .prepare<[string, number], StoredLogRow & { chunk_ids: string; entity_ids: string }>(
        `SELECT ${QUERY_LOG_COLUMNS.join(', ')}, chunk_ids, entity_ids FROM query_log WHERE project = ? AND id = ?`,
      )
      .get(scope.project, args.id);
    if (!row) return null;
    const { chunk_ids: chunkJson, entity_ids: entityJson, ...logRow } = row;
    const chunkIds = idList(chunkJson);
    const entityIds = idList(entityJson);
    const byId = <T extends { id: string }>(sql: string, ids: string[]): Map<string, T> => {
      if (!graph || ids.length === 0) return new Map();
      const rows = graph.db.prepare<unknown[], T>(sql.replace('?ids', ids.map(() => '?').join(','))).all(scope.project, ...ids);
      return new Map(rows.map((item) => [item.id, item]));
    };
    const chunks = byId<{ id: string; source: string; heading: string | null; text: string }>(
      'SELECT id, source, heading, text FROM chunks WHERE +project = ? AND id IN (?ids)',
      chunkIds,
    );
    const entities = byId<{ id: string; name: string; type: string }>(
      'SELECT id, name, type FROM entities WHERE +project = ? AND id IN (?ids)',
      entityIds,
    );
    return {
      row: asLogRow(logRow),
      chunks: chunkIds.map((id) => {
        const chunk = chunks.get(id);
        return chunk
          ? { id, source: chunk.source, heading: sensitiveOrNull(chunk.heading), text: sensitive(chunk.text), present: true }
          : { id, source: '', heading: null, text: null, present: false };
      }),
      entities: entityIds.map((id) => {
        const entity = entities.get(id);
        return { id, name: entity ? sensitive(entity.name) : null, type: entity?.type ?? null };
      }),
    };
  },
});
