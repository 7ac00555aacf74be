import { graphDbPath, metricsDbPath, type HydraConfig } from '../config';
import { StoreError, type StoreName } from '../store/errors';
import { openStoreReadOnly } from '../store/open-readonly';

export interface StoreStatus {
  store: StoreName;
  file: string;
  ok: boolean;
  version: number | null;
  pythonCompatible: boolean;
  problem: string | null;
  problemKind: StoreError['problem'] | null;
  hint: string | null;
}

/** Whether each store opens read-only and is of a schema version this build understands. */
export function storeStatus(config: HydraConfig): StoreStatus[] {
  const check = (store: StoreName, file: string): StoreStatus => {
    try {
      const opened = openStoreReadOnly(store, file);
      opened.db.close();
      return {
        store,
        file,
        ok: true,
        version: opened.version,
        pythonCompatible: opened.pythonCompatible,
        problem: null,
        problemKind: null,
        hint: null,
      };
    } catch (error) {
      if (error instanceof StoreError) {
        return {
          store,
          file,
          ok: false,
          version: null,
          pythonCompatible: false,
          problem: error.message,
          problemKind: error.problem,
          hint: error.hint,
        };
      }
      throw error;
    }
  };
  return [check('metrics', metricsDbPath(config)), check('graph', graphDbPath(config))];
}
