import { revealerFor } from '../auth/redaction';
import type { Role } from '../auth/roles';
import type { ReadScope, ReadStore, StoreProblemInfo } from '../read/read-model';
import { READ_MODELS, type ReadArgs, type ReadData, type ReadName } from '../read/registry';
import { revealSensitive, type Revealed } from '../read/sensitive';
import { classifyStoreError, StoreError, type StoreName } from '../store/errors';
import { openStoreReadOnly } from '../store/open-readonly';
import type { ReadDB, ReadStatement } from '../store/read-db';
import type { ReadResult } from './read-result';

/** One read as it crosses into a read worker: plain data only. */
export interface ReadTask<Name extends ReadName = ReadName> {
  name: Name;
  scope: ReadScope;
  args: ReadArgs<Name>;
  /** Decides what the data is revealed as; the read model itself never sees it. */
  role: Role;
  files: Record<StoreName, string>;
  /**
   * Set to 1 by the pool when the read is over budget (shared memory, seen at once): the read
   * stops before its next statement. Threads are never ended mid-read, because better-sqlite3
   * aborts the whole process when an SQLite error meets a thread being ended.
   */
  cancel?: Int32Array;
}

/** Thrown before a statement of a read whose budget has run out. */
class ReadCancelled extends Error {}

/** A read model as the runner calls it, whatever its stores and arguments. */
interface RunnableModel {
  needs: readonly StoreName[];
  optional: readonly StoreName[];
  read(stores: object, scope: ReadScope, args: unknown): unknown;
}

/** An SQLite error raised while reading (a damaged page, a lock), with the store it came from. */
class StoreReadError extends Error {
  constructor(
    readonly store: StoreName,
    override readonly cause: unknown,
  ) {
    super(String((cause as Error | null)?.message ?? cause));
  }
}

function problemInfo(error: StoreError): StoreProblemInfo {
  return { store: error.store, problem: error.problem, file: error.file, message: error.message, hint: error.hint };
}

/** A connection whose errors name their store: damage found in the middle of a read is that store's problem. */
function tagged(db: ReadDB, store: StoreName, cancelled: () => boolean): ReadDB {
  const guard = <T>(work: () => T): T => {
    if (cancelled()) throw new ReadCancelled();
    try {
      return work();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      throw typeof code === 'string' && code.startsWith('SQLITE_') ? new StoreReadError(store, error) : error;
    }
  };
  return {
    prepare: <Params extends unknown[] | object, Row>(sql: string) => {
      const statement = guard(() => db.prepare<Params, Row>(sql)) as ReadStatement<unknown[], Row>;
      const wrapped: ReadStatement<unknown[], Row> = {
        get: (...params) => guard(() => statement.get(...params)),
        all: (...params) => guard(() => statement.all(...params)),
        iterate: (...params) => {
          const rows = guard(() => statement.iterate(...params));
          return {
            next: () => guard(() => rows.next()),
            return: (value?: Row) => rows.return?.(value) ?? { done: true, value },
            [Symbol.iterator]() {
              return this;
            },
          } as IterableIterator<Row>;
        },
      };
      return wrapped as Params extends unknown[] ? ReadStatement<Params, Row> : ReadStatement<[Params], Row>;
    },
  };
}

/**
 * Runs one read in this thread: opens the stores it needs read-only (and those it may use), runs
 * it, closes them, and reveals its data for the viewer's role. A store that cannot be opened, or
 * that turns out damaged while it is read, comes back as that store's problem, never as a throw.
 */
export function runRead<Name extends ReadName>(task: ReadTask<Name>): ReadResult<Revealed<ReadData<Name>>> {
  const model = READ_MODELS[task.name] as unknown as RunnableModel;
  const cancelled = (): boolean => task.cancel !== undefined && Atomics.load(task.cancel, 0) === 1;
  if (cancelled()) return { ok: false, kind: 'budget', budgetMs: 0 };
  const closers: Array<() => void> = [];
  const stores: Partial<Record<StoreName, ReadStore | null>> & { problems: Partial<Record<StoreName, StoreProblemInfo>> } = {
    problems: {},
  };
  const open = (store: StoreName): ReadStore => {
    const file = task.files[store];
    const { db, version, pythonCompatible } = openStoreReadOnly(store, file);
    closers.push(() => db.close());
    return { db: tagged(db, store, cancelled), version, pythonCompatible, file };
  };
  try {
    for (const store of model.needs) stores[store] = open(store);
    for (const store of model.optional) {
      try {
        stores[store] = open(store);
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        stores[store] = null;
        stores.problems[store] = problemInfo(error);
      }
    }
    const data = model.read(stores, task.scope, task.args) as ReadData<Name>;
    return { ok: true, data: revealSensitive(data, revealerFor(task.role)) };
  } catch (error) {
    // Nobody waits for a cancelled read's answer any more.
    if (error instanceof ReadCancelled) return { ok: false, kind: 'budget', budgetMs: 0 };
    if (error instanceof StoreError) return { ok: false, kind: 'store', problem: problemInfo(error) };
    if (error instanceof StoreReadError) {
      const store = error.store;
      return { ok: false, kind: 'store', problem: problemInfo(classifyStoreError(store, task.files[store], error.cause)) };
    }
    throw error;
  } finally {
    for (const close of closers) close();
  }
}
