import type { GardenSummary } from './night-gardener';

/** One line a person can read at a glance. */
export function formatGardenSummary(summary: GardenSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(2);
  const components = summary.connectedComponents;
  return (
    `garden run ${summary.runId} (${summary.trigger}) ok in ${seconds} s: ${summary.entitiesMerged} entities merged, ` +
    `${summary.orphansPruned} orphans pruned, ${summary.relationsDecayed} relations decayed, ` +
    `${summary.entitiesBoosted} entities boosted; ${components.count} connected component${components.count === 1 ? '' : 's'} ` +
    `(largest ${components.largest})`
  );
}

/** A time as the schedule sees it: local wall-clock time with the offset, e.g. 2026-07-02 03:00 (UTC+02:00). */
export function formatLocalTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} ` +
    `(UTC${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)})`
  );
}
