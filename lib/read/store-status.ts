import type { StoreName } from '../store/errors';
import { readModel, type ReadStore, type StoreProblemInfo } from './read-model';

export interface StoreStatus {
  store: StoreName;
  ok: boolean;
  version: number | null;
  pythonCompatible: boolean;
  problem: StoreProblemInfo | null;
}

/** Whether each store opens read-only and is of a schema version this build understands. */
export const storeStatus = readModel({
  needs: [],
  optional: ['metrics', 'graph'],
  read({ metrics, graph, problems }): StoreStatus[] {
    const status = (store: StoreName, opened: ReadStore | null): StoreStatus => ({
      store,
      ok: opened !== null,
      version: opened?.version ?? null,
      pythonCompatible: opened?.pythonCompatible ?? false,
      problem: problems[store] ?? null,
    });
    return [status('metrics', metrics), status('graph', graph)];
  },
});
