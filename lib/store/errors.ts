export type StoreName = 'metrics' | 'graph';
export type StoreProblem = 'missing' | 'empty' | 'locked' | 'corrupt' | 'too-old' | 'too-new' | 'unreadable';

/** A store the process cannot use, with a message a user can act on. */
export class StoreError extends Error {
  constructor(
    readonly store: StoreName,
    readonly problem: StoreProblem,
    readonly file: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

function sqliteCode(error: unknown): string {
  const code = (error as SqliteLikeError | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Maps a better-sqlite3 error on open or first read to a StoreError with its own explanation. */
export function classifyStoreError(store: StoreName, file: string, error: unknown): StoreError {
  const code = sqliteCode(error);
  const detail = String((error as SqliteLikeError | null)?.message ?? error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      store,
      'locked',
      file,
      `The ${store} store ${file} is locked by another process.`,
      'Another process holds an exclusive lock. Wait for it to finish (a migration or a VACUUM), then reload.',
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      store,
      'corrupt',
      file,
      `The ${store} store ${file} is not a readable SQLite database (${detail}).`,
      'Restore the file from a backup, or stop the writer, move the file away and let `hydramem serve` create a new one.',
    );
  }
  if (code === 'SQLITE_CANTOPEN' && !detail.includes('permission')) {
    return new StoreError(
      store,
      'missing',
      file,
      `The ${store} store ${file} does not exist.`,
      'Start the writer once (`hydramem serve` or `hydramem ingest PATH`) so that it creates its stores, and check HYDRAMEM_DATA_DIR.',
    );
  }
  return new StoreError(
    store,
    'unreadable',
    file,
    `The ${store} store ${file} cannot be read (${code === 'SQLITE_CANTOPEN' ? detail : code || detail}).`,
    code === 'SQLITE_READONLY_DIRECTORY'
      ? 'The data directory is read-only and the store has no -wal/-shm files: start the writer once so they exist, or grant the reader write access to the directory.'
      : 'Check that this user may read the data directory and its files.',
  );
}
