import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { ROOT } from '../tenant';

export type StoreName = 'metrics' | 'graph';

/** What a page, /readyz and an export should say about a store in this state (null: it works). */
export interface Expected {
  problem: 'missing' | 'empty' | 'locked' | 'corrupt' | 'too-old' | 'too-new' | 'unreadable' | null;
  /** The panel's heading on a page. */
  title: string | null;
  /** What /readyz and an export's error say. */
  reason: RegExp | null;
}

/** One way a store can be broken: `apply` breaks it and returns how to stop whatever it started. */
export interface Damage {
  name: string;
  expected: Expected;
  apply(file: string): Promise<() => Promise<void>>;
}

const PAGE = 4096;
const nothingToStop = async (): Promise<void> => {};

/** Sets the schema version in the file's header (user_version, 4 bytes big-endian at offset 60). */
function writeUserVersion(file: string, version: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(version);
    fs.writeSync(fd, bytes, 0, 4, 60);
  } finally {
    fs.closeSync(fd);
  }
}

/** A Node process with its own connection to the store, resolved once it has done `setup`. */
async function holdConnection(file: string, setup: string): Promise<() => Promise<void>> {
  const script = `const Database = require('better-sqlite3');
const db = new Database(${JSON.stringify(file)});
${setup}
process.stdout.write('holding\\n');
setInterval(() => {}, 1000);`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('holding') && resolve());
    child.once('exit', (code) => reject(new Error(`the holding process exited with ${code}: ${errors}`)));
  });
  // SIGKILL: a clean close would checkpoint; the test restores the files itself.
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
}

const corrupt = (): Expected => ({
  problem: 'corrupt',
  title: 'The store is damaged',
  reason: /is not a readable SQLite database/,
});

/** The matrix: every way of breaking a store the dashboard must explain, and one it must just read. */
export const DAMAGES: Damage[] = [
  {
    name: 'missing',
    expected: { problem: 'missing', title: 'No data yet', reason: /does not exist/ },
    apply: async (file) => (fs.rmSync(file), nothingToStop),
  },
  {
    name: 'empty',
    expected: { problem: 'empty', title: 'The store is empty', reason: /is empty \(0 bytes\)/ },
    apply: async (file) => (fs.writeFileSync(file, ''), nothingToStop),
  },
  {
    name: 'random bytes',
    expected: corrupt(),
    apply: async (file) => (fs.writeFileSync(file, randomBytes(64 * 1024)), nothingToStop),
  },
  {
    // The header and the schema page survive; every table lived further on.
    name: 'truncated',
    expected: corrupt(),
    apply: async (file) => (fs.truncateSync(file, PAGE), nothingToStop),
  },
  {
    // Damaged inside: the header is intact (so opening works) and every other page is noise.
    name: 'damaged inside',
    expected: corrupt(),
    apply: async (file) => {
      const bytes = fs.readFileSync(file);
      randomBytes(bytes.length - PAGE).copy(bytes, PAGE);
      fs.writeFileSync(file, bytes);
      return nothingToStop;
    },
  },
  {
    name: 'version too new',
    expected: {
      problem: 'too-new',
      title: 'The store is newer than this dashboard',
      reason: /has schema version 99; this dashboard understands up to \d+/,
    },
    apply: async (file) => (writeUserVersion(file, 99), nothingToStop),
  },
  {
    name: 'version too old',
    expected: {
      problem: 'too-old',
      title: 'The store is older than this dashboard',
      reason: /has schema version 1; this dashboard needs \d+/,
    },
    apply: async (file) => (writeUserVersion(file, 1), nothingToStop),
  },
  {
    name: 'unreadable',
    expected: { problem: 'unreadable', title: 'The store cannot be read', reason: /cannot be read/ },
    apply: async (file) => (fs.chmodSync(file, 0o000), nothingToStop),
  },
  {
    // Another process holds the file exclusively (a migration, a VACUUM): readers get SQLITE_BUSY.
    name: 'locked',
    expected: { problem: 'locked', title: 'The store is locked', reason: /is locked by another process/ },
    apply: (file) =>
      holdConnection(file, `db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); db.exec('COMMIT');`),
  },
  {
    // A writer with checkpoints off and 64 MB not yet checkpointed: readers see it all, nothing to explain.
    name: 'large WAL',
    expected: { problem: null, title: null, reason: null },
    apply: (file) =>
      holdConnection(
        file,
        `db.pragma('wal_autocheckpoint = 0');
db.exec('CREATE TABLE wal_filler (bytes BLOB)');
const insert = db.prepare('INSERT INTO wal_filler VALUES (randomblob(65536))');
db.transaction(() => { for (let i = 0; i < 1024; i++) insert.run(); })();`,
      ),
  },
];

/** A store file as it is now, and how to put it back as it was (mode included, WAL and index gone). */
export function keepFile(file: string): () => void {
  const bytes = fs.readFileSync(file);
  const mode = fs.statSync(file).mode & 0o777;
  return () => {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    fs.writeFileSync(file, bytes);
    fs.chmodSync(file, mode);
  };
}
