import type { StoreName } from '../store/errors';
import { readModel, type StoreProblemInfo } from './read-model';

export interface StoreIntegrity {
  store: StoreName;
  /** null: the store could not be opened (`problem` says why), so it was not checked. */
  ok: boolean | null;
  /** SQLite's first complaint when the check fails. */
  detail: string | null;
  problem: StoreProblemInfo | null;
}

/**
 * SQLite's `quick_check` of one store: every page and record read once, which finds damage inside
 * a file whose header is intact (opening it does not). O(size): run in the background, not per page.
 */
export const storeIntegrity = readModel({
  needs: [],
  optional: ['metrics', 'graph'],
  read(stores, _scope, args: { store: StoreName }): StoreIntegrity {
    const opened = stores[args.store];
    if (!opened) return { store: args.store, ok: null, detail: null, problem: stores.problems[args.store] ?? null };
    const first = opened.db.prepare<[], { quick_check: string }>('PRAGMA quick_check(1)').get()?.quick_check ?? 'ok';
    return { store: args.store, ok: first === 'ok', detail: first === 'ok' ? null : first, problem: null };
  },
});
