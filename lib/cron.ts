/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), as in crontab(5): lists,
 * ranges, steps, month and weekday names, 7 for Sunday, and the @hourly/@daily/@weekly/@monthly/@yearly
 * shorthands. It lives in lib/, not beside the scheduler, so that reading the configuration never
 * loads the writer's code into the dashboard.
 */
export interface CronSchedule {
  expression: string;
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0 = Sunday. */
  daysOfWeek: number[];
  /** crontab(5): when both day fields are restricted, a day matching either one is due. */
  eitherDay: boolean;
}

const CRON_SHORTHANDS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface CronField {
  label: string;
  min: number;
  max: number;
  /** Names for values, the first one standing for `nameBase`. */
  names?: string[];
  nameBase?: number;
}

const CRON_FIELDS: readonly CronField[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { label: 'day of week', min: 0, max: 7, names: WEEKDAY_NAMES, nameBase: 0 },
];

/** Parses a cron expression; throws an Error that says which field is wrong. */
export function parseCron(expression: string): CronSchedule {
  const text = expression.trim().replace(/\s+/g, ' ');
  const fields = (CRON_SHORTHANDS[text.toLowerCase()] ?? text).split(' ');
  if (fields.length !== 5) throw new Error(`${fields.length} field(s) instead of 5`);
  const [minutes, hours, daysOfMonth, months, weekdays] = fields.map((field, index) =>
    parseCronField(field, CRON_FIELDS[index] as CronField),
  ) as [number[], number[], number[], number[], number[]];
  if (!daysOfMonth.some((day) => months.some((month) => day <= (DAYS_IN_MONTH[month - 1] ?? 0)))) {
    throw new Error('the day of month never occurs in the months given');
  }
  const daysOfWeek = [...new Set(weekdays.map((day) => day % 7))].sort((a, b) => a - b);
  const restricted = (field: string | undefined) => !field?.startsWith('*');
  return {
    expression: text,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    eitherDay: restricted(fields[2]) && restricted(fields[4]),
  };
}

function parseCronField(text: string, field: CronField): number[] {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
    if (!match) throw new Error(`"${part}" is not a valid ${field.label}`);
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new Error(`step "${stepText}" of the ${field.label} must be at least 1`);
    let [from, to] = [field.min, field.max];
    if (range !== '*') {
      const [low = '', high] = range.split('-');
      from = cronValue(low, field);
      to = high === undefined ? (stepText === undefined ? from : field.max) : cronValue(high, field);
      if (to < from) throw new Error(`range "${range}" of the ${field.label} runs backwards`);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function cronValue(text: string, field: CronField): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (field.nameBase ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= field.min && value <= field.max)) {
    throw new Error(`"${text}" is not a ${field.label} (${field.min}-${field.max}${field.names ? ' or a name' : ''})`);
  }
  return value;
}
