import type { CronSchedule } from '../../cron';

/** Eight years covers every leap day, so a schedule that can ever fire is found within it. */
const SEARCH_DAYS = 366 * 8;

function dayMatches(schedule: CronSchedule, day: Date): boolean {
  const ofMonth = schedule.daysOfMonth.includes(day.getDate());
  const ofWeek = schedule.daysOfWeek.includes(day.getDay());
  return schedule.eitherDay ? ofMonth || ofWeek : ofMonth && ofWeek;
}

/**
 * The first time strictly after `after` (to the minute) at which the schedule is due, in the process's
 * local time zone. A time that a daylight-saving jump skips runs right after the jump, as cron does; a
 * time that occurs twice when clocks go back runs once, at its first occurrence.
 */
export function nextRunAfter(schedule: CronSchedule, after: Date): Date | null {
  const start = new Date(after.getTime());
  start.setSeconds(0, 0);
  start.setMinutes(start.getMinutes() + 1);
  for (let offset = 0; offset < SEARCH_DAYS; offset++) {
    const day = new Date(start.getFullYear(), start.getMonth(), start.getDate() + offset);
    if (!schedule.months.includes(day.getMonth() + 1) || !dayMatches(schedule, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const candidate = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute);
        if (candidate.getTime() >= start.getTime()) return candidate;
      }
    }
  }
  return null;
}
