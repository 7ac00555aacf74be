import type { IngestPoint } from './ingest-rollups';

export interface GrowthPoint {
  start: number;
  entities: number;
  relations: number;
  chunks: number;
}

/**
 * Totals at the end of each bucket, worked backwards from today's totals and each bucket's net
 * change: the graph's size over time without storing a time series of it.
 */
export function growthSeries(
  series: readonly IngestPoint[],
  now: { entities: number; relations: number; chunks: number },
): GrowthPoint[] {
  const points: GrowthPoint[] = [];
  let entities = now.entities;
  let relations = now.relations;
  let chunks = now.chunks;
  for (let index = series.length - 1; index >= 0; index--) {
    const point = series[index];
    if (!point) continue;
    points.unshift({ start: point.start, entities, relations, chunks });
    entities -= point.entitiesAdded - point.entitiesRemoved;
    relations -= point.relationsAdded - point.relationsRemoved;
    chunks -= point.chunksAdded - point.chunksRemoved;
  }
  return points;
}
