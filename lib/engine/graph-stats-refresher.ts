import type { DB } from '../store/open-writer';
import type { Clock } from '../store/time';
import { refreshGraphStats } from './graph-stats';
import { recordGraphSize } from './graph-size-log';

/**
 * Keeps the graph-statistics snapshot fresh without recomputing it after every note: the first change
 * refreshes at once, later ones at most once per interval, and a pending change is written on close.
 * The graph's size is logged on every change, not throttled.
 */
export class GraphStatsRefresher {
  private lastRefresh = 0;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DB,
    private readonly project: string,
    private readonly clock: Clock,
    private readonly intervalMs = 60_000,
  ) {}

  /** After a committed change: logs the graph's size at once (the dashboard's totals at a range start), then refreshes. */
  markChanged(): void {
    try {
      recordGraphSize(this.db, this.project, this.clock());
    } catch (error) {
      process.stderr.write(`hydramem: graph size not logged: ${String(error)}\n`);
    }
    this.dirty = true;
    const wait = this.lastRefresh + this.intervalMs - Date.now();
    if (wait <= 0) this.refresh();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.refresh(), wait);
      this.timer.unref();
    }
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.lastRefresh = Date.now();
    try {
      refreshGraphStats(this.db, this.project, this.clock());
    } catch (error) {
      process.stderr.write(`hydramem: graph statistics not refreshed: ${String(error)}\n`);
    }
  }

  close(): void {
    this.refresh();
  }
}
