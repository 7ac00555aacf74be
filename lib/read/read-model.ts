import type { StoreName, StoreProblem } from '../store/errors';
import type { ReadDB } from '../store/read-db';

/** One store opened read-only for one read. */
export interface ReadStore {
  db: ReadDB;
  /** Schema version found in the file (0 for a Python HydraMem metrics.db). */
  version: number;
  /** A metrics.db written by the Python HydraMem: only its `events` table is there. */
  pythonCompatible: boolean;
  file: string;
}

/**
 * What every read is scoped to, set by the request path, never by a page: the project (one of the
 * configured ones), the time window, and the chart buckets that split it (their start instants in
 * epoch ms; hours, or local days in the viewer's time zone).
 */
export interface ReadScope {
  project: string;
  from: Date;
  to: Date;
  buckets: readonly number[];
}

/** The problem of a store that was asked for as optional, passed to the read instead of thrown. */
export interface StoreProblemInfo {
  store: StoreName;
  problem: StoreProblem;
  file: string;
  message: string;
  hint: string;
}

/** The stores a read model gets: those it needs, always open; those it may use, open or null. */
export type StoresFor<Needs extends StoreName, Optional extends StoreName> = { [K in Needs]: ReadStore } & {
  [K in Optional]: ReadStore | null;
} & { problems: Partial<Record<StoreName, StoreProblemInfo>> };

/**
 * A read model: the SQL behind one widget. It runs in a read worker under the request's time
 * budget, gets read-only connections and the request's scope, and returns plain data (values the
 * support role must not see wrapped with `sensitive()`). It never sees the viewer.
 */
export interface ReadModel<Needs extends StoreName, Optional extends StoreName, Args, Data> {
  needs: readonly Needs[];
  optional: readonly Optional[];
  read(stores: StoresFor<Needs, Optional>, scope: ReadScope, args: Args): Data;
}

export function readModel<Needs extends StoreName, Optional extends StoreName = never, Args = void, Data = unknown>(model: {
  needs: readonly Needs[];
  optional?: readonly Optional[];
  read(stores: StoresFor<Needs, Optional>, scope: ReadScope, args: Args): Data;
}): ReadModel<Needs, Optional, Args, Data> {
  return { needs: model.needs, optional: model.optional ?? [], read: model.read };
}
