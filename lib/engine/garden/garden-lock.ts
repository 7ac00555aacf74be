import path from 'node:path';
import { UserError } from '../errors';
import { acquireLockFile, isProcessAlive, readLockFile, type HeldLock, type LockInfo } from '../lock';

/**
 * One Night Gardener run at a time per data directory. The writer lock already keeps other processes
 * out of the stores; this lock also covers a run asked for while another is under way (a manual run
 * during the scheduled one), and, holding PID and kernel start time, it never stays stuck after a kill.
 */
export const GARDEN_LOCK_FILE = 'garden.lock';

/** Exit code 3, like a data directory held by another writer. */
export class GardenBusyError extends UserError {
  constructor(
    readonly holder: LockInfo,
    dataDir: string,
  ) {
    super(
      `A Night Gardener run is already in progress in ${dataDir}: pid ${holder.pid} (${holder.command}), started ${holder.startedAt}. ` +
        'Wait for it to finish; its result will be in garden_runs.',
      3,
    );
    this.name = 'GardenBusyError';
  }
}

export function gardenLockPath(dataDir: string): string {
  return path.join(dataDir, GARDEN_LOCK_FILE);
}

export function acquireGardenLock(dataDir: string, command: string): HeldLock {
  return acquireLockFile(gardenLockPath(dataDir), command, (holder) => new GardenBusyError(holder, dataDir));
}

/** The live process running the gardener in this data directory, if any (a dead one's lock does not count). */
export function liveGardenHolder(dataDir: string): LockInfo | null {
  const info = readLockFile(gardenLockPath(dataDir));
  return info && isProcessAlive(info) ? info : null;
}
