import { parseChunkHits, type ChunkHitRecord } from '../store/chunk-hits';
import { asLogRow, QUERY_LOG_COLUMNS, type QueryLogRow, type StoredLogRow } from './query-log';
import { readModel } from './read-model';
import { sensitive, sensitiveOrNull, type Sensitive } from './sensitive';

type Named = { id: string; name: Sensitive };

/** Why a chunk came back, as the writer recorded it; entity names are content. */
export interface ChunkHit extends Omit<ChunkHitRecord, 'id' | 'graph'> {
  graph: Array<Named & { via: Named | null }>;
}

export interface QueryDetail {
  row: QueryLogRow;
  /** The first result's score, as logged (null: nothing returned). */
  topScore: number | null;
  chunks: Array<{
    id: string;
    source: string;
    heading: Sensitive | null;
    text: Sensitive | null;
    present: boolean;
    /** Null when the writer did not record it (searches logged before it did). */
    hit: ChunkHit | null;
  }>;
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

const named = (entity: { id: string; name: string }): Named => ({ id: entity.id, name: sensitive(entity.name) });

function asHit(record: ChunkHitRecord | undefined): ChunkHit | null {
  if (!record) return null;
  const { id: _id, graph, ...ranks } = record;
  return { ...ranks, graph: graph.map((reason) => ({ ...named(reason), via: reason.via ? named(reason.via) : null })) };
}

/** One logged search of the project with the chunks and entities it returned, as they are in the graph now. */
export const queryDetail = readModel({
  needs: ['metrics'],
  optional: ['graph'],
  read({ metrics, graph }, scope, args: { id: number }): QueryDetail | null {
    const row = metrics.db
      .prepare<
        [string, number],
        StoredLogRow & { chunk_ids: string; entity_ids: string; chunk_hits: string; top_score: number | null }
      >(
        `SELECT ${QUERY_LOG_COLUMNS.join(', ')}, chunk_ids, entity_ids, chunk_hits, top_score FROM query_log WHERE project = ? AND id = ?`,
      )
      .get(scope.project, args.id);
    if (!row) return null;
    const { chunk_ids: chunkJson, entity_ids: entityJson, chunk_hits: hitJson, top_score: topScore, ...logRow } = row;
    const hits = new Map(parseChunkHits(hitJson).map((hit) => [hit.id, hit]));
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
      topScore,
      chunks: chunkIds.map((id) => {
        const chunk = chunks.get(id);
        const hit = asHit(hits.get(id));
        return chunk
          ? { id, source: chunk.source, heading: sensitiveOrNull(chunk.heading), text: sensitive(chunk.text), present: true, hit }
          : { id, source: '', heading: null, text: null, present: false, hit };
      }),
      entities: entityIds.map((id) => {
        const entity = entities.get(id);
        return { id, name: entity ? sensitive(entity.name) : null, type: entity?.type ?? null };
      }),
    };
  },
});
