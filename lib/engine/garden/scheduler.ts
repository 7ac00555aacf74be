import type { CronSchedule } from '../../cron';
import { nextRunAfter } from './schedule';

/** setTimeout's longest delay (about 24.8 days); a later run is waited for in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GardenScheduler {
  /** The next time `run` is due, or null when the schedule never fires again. */
  readonly nextRunAt: Date | null;
  stop(): void;
}

/**
 * Calls `run` each time the cron schedule is due, in the process's local time. The next time is taken
 * after the run ends, so a run longer than the interval skips the slots it overran instead of piling up.
 * `run` must not throw. The timer does not keep the process alive on its own.
 */
export function startGardenScheduler(schedule: CronSchedule, run: () => void): GardenScheduler {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let next: Date | null = null;

  const wait = (due: Date): void => {
    if (stopped) return;
    const remaining = due.getTime() - Date.now();
    if (remaining > 0) {
      timer = setTimeout(() => wait(due), Math.min(remaining, MAX_TIMER_MS));
      timer.unref();
      return;
    }
    try {
      run();
    } finally {
      arm(new Date(Math.max(Date.now(), due.getTime())));
    }
  };
  const arm = (after: Date): void => {
    next = nextRunAfter(schedule, after);
    if (next) wait(next);
  };

  arm(new Date());
  return {
    get nextRunAt() {
      return next;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      next = null;
    },
  };
}
