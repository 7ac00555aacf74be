import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the lock file says about the process that holds a data directory. */
export interface LockInfo {
  pid: number;
  /** Kernel start time of the process (Linux), to tell a live holder from a reused PID. */
  pidStart: string | null;
  host: string;
  command: string;
  startedAt: string;
  /** Where the holder serves MCP over HTTP, so other commands can go through it. */
  mcpUrl?: string;
}

export class LockHeldError extends Error {
  constructor(
    readonly holder: LockInfo,
    readonly file: string,
  ) {
    super(
      `Another HydraMem writer holds ${path.dirname(file)}: pid ${holder.pid} (${holder.command}), started ${holder.startedAt}. ` +
        'Only one writer may use a data directory; stop that process or use another HYDRAMEM_DATA_DIR.',
    );
    this.name = 'LockHeldError';
  }
}

export const LOCK_FILE = 'writer.lock';

/** The start time of a process from /proc, or null where that is not available. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may contain spaces, so count from its ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export function isProcessAlive(info: Pick<LockInfo, 'pid' | 'pidStart' | 'host'>): boolean {
  if (info.host !== os.hostname()) return true; // cannot check a process on another machine: assume live
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStartTime(info.pid);
  return info.pidStart === null || start === null || start === info.pidStart;
}

/** What a lock file says, or null when it is missing or unreadable (half written). */
export function readLockFile(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

export function readLock(dataDir: string): LockInfo | null {
  return readLockFile(path.join(dataDir, LOCK_FILE));
}

/** The live holder of a data directory's writer lock, if any. */
export function liveLockHolder(dataDir: string): LockInfo | null {
  const info = readLock(dataDir);
  return info && isProcessAlive(info) ? info : null;
}

/** A lock file this process holds. */
export interface HeldLock {
  info: LockInfo;
  /** Rewrites the details in the file (the writer adds its MCP URL once HTTP listens). */
  update(patch: Partial<LockInfo>): void;
  release(): void;
}

export type WriterLock = HeldLock;

/**
 * Takes the per-data-directory writer lock: refuses while a live process holds it, and takes over a
 * lock left by a process that is gone (killed, crashed, or a PID since reused by another program).
 */
export function acquireWriterLock(dataDir: string, command: string): WriterLock {
  const file = path.join(dataDir, LOCK_FILE);
  return acquireLockFile(file, command, (holder) => new LockHeldError(holder, file));
}

/**
 * Takes a lock file that names its holder (PID, kernel start time, host, command). A live holder,
 * this process included, makes `refuse` throw; a lock whose holder is gone is taken over.
 */
export function acquireLockFile(file: string, command: string, refuse: (holder: LockInfo) => Error): HeldLock {
  const info: LockInfo = {
    pid: process.pid,
    pidStart: processStartTime(process.pid),
    host: os.hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o640 });
      return makeLock(file, info);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLockFile(file);
    if (holder && isProcessAlive(holder)) throw refuse(holder);
    // Stale (or unreadable, half-written) lock: remove it and try again. Two takers race on 'wx'.
    fs.rmSync(file, { force: true });
  }
  const holder = readLockFile(file);
  if (holder) throw refuse(holder);
  throw new Error(`could not take the lock ${file}`);
}

function makeLock(file: string, info: LockInfo): HeldLock {
  let released = false;
  return {
    info,
    update(patch) {
      Object.assign(info, patch);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(info), { mode: 0o640 });
      fs.renameSync(`${file}.tmp`, file);
    },
    release() {
      if (released) return;
      released = true;
      const current = readLockFile(file);
      if (current?.pid === info.pid) fs.rmSync(file, { force: true });
    },
  };
}
