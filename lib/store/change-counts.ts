/** What one document's ingest or removal changed in the graph; summed per batch and per rollup bucket. */
export interface ChangeCounts {
  chunksAdded: number;
  chunksRemoved: number;
  entitiesAdded: number;
  entitiesRemoved: number;
  relationsAdded: number;
  relationsRemoved: number;
}

export function emptyCounts(): ChangeCounts {
  return { chunksAdded: 0, chunksRemoved: 0, entitiesAdded: 0, entitiesRemoved: 0, relationsAdded: 0, relationsRemoved: 0 };
}

export function addCounts(target: ChangeCounts, source: ChangeCounts): void {
  target.chunksAdded += source.chunksAdded;
  target.chunksRemoved += source.chunksRemoved;
  target.entitiesAdded += source.entitiesAdded;
  target.entitiesRemoved += source.entitiesRemoved;
  target.relationsAdded += source.relationsAdded;
  target.relationsRemoved += source.relationsRemoved;
}
