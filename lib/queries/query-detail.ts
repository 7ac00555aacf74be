import type { DB } from '../store/open-writer';
import type { QueryLogRow } from './query-log';

export interface QueryDetail {
  row: QueryLogRow;
  chunks: Array<{ id: string; source: string; heading: string | null; text: string; present: boolean }>;
  entities: Array<{ id: string; name: string | null; type: string | null }>;
}

function idList(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string').slice(0, 200) : [];
  } catch {
    return [];
  }
}

/** One logged search with the chunks and entities it returned, as they are in the graph now. */
export function queryDetail(metrics: DB, graph: DB | null, project: string, id: number): QueryDetail | null {
  const row = metrics
    .prepare<[string, number], QueryLogRow & { chunk_ids: string; entity_ids: string }>(
      `SELECT id, ts, tool, query, user_id, memory_id, session_id, result_count, latency_ms, tokens_injected, tokens_baseline, status,
         error, chunk_ids, entity_ids FROM query_log WHERE project = ? AND id = ?`,
    )
    .get(project, id);
  if (!row) return null;
  const chunkIds = idList(row.chunk_ids);
  const entityIds = idList(row.entity_ids);
  const chunkRows = new Map<string, { source: string; heading: string | null; text: string }>();
  const entityRows = new Map<string, { name: string; type: string }>();
  if (graph && chunkIds.length > 0) {
    const marks = chunkIds.map(() => '?').join(',');
    for (const chunk of graph
      .prepare<unknown[], { id: string; source: string; heading: string | null; text: string }>(
        `SELECT id, source, heading, text FROM chunks WHERE +project = ? AND id IN (${marks})`,
      )
      .all(project, ...chunkIds))
      chunkRows.set(chunk.id, chunk);
  }
  if (graph && entityIds.length > 0) {
    const marks = entityIds.map(() => '?').join(',');
    for (const entity of graph
      .prepare<unknown[], { id: string; name: string; type: string }>(
        `SELECT id, name, type FROM entities WHERE +project = ? AND id IN (${marks})`,
      )
      .all(project, ...entityIds))
      entityRows.set(entity.id, entity);
  }
  const { chunk_ids: _chunks, entity_ids: _entities, ...logRow } = row;
  return {
    row: logRow,
    chunks: chunkIds.map((chunkId) => {
      const chunk = chunkRows.get(chunkId);
      return chunk
        ? { id: chunkId, ...chunk, present: true }
        : { id: chunkId, source: '', heading: null, text: '', present: false };
    }),
    entities: entityIds.map((entityId) => ({
      id: entityId,
      name: entityRows.get(entityId)?.name ?? null,
      type: entityRows.get(entityId)?.type ?? null,
    })),
  };
}
