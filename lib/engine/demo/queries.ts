import { pick } from './random';

export interface NamedEntity {
  name: string;
  type: string;
}

/** Questions shaped like the ones agents ask a team's memory, filled with the graph's own names. */
const TEMPLATES: Record<string, readonly string[]> = {
  service: [
    'who owns {}',
    '{} dependencies',
    'what depends on {}',
    '{} latency incidents',
    'how do we deploy {}',
    'runbook for {} outage',
    '{}',
  ],
  person: ['what is {} working on', '{} on-call rotation', 'who is {}', '{} team'],
  project: ['status of {}', 'risks for {}', 'who is on {}', '{} timeline', '{}'],
  team: ['what does {} own', '{} members', '{} on-call'],
  decision: ['why did we choose {}', '{}'],
  meeting: ['action items from {}', '{}'],
  runbook: ['{} steps', '{}'],
};

const FREE_QUESTIONS = [
  'ground station failover procedure',
  'ingest backlog recovery',
  'polar pass priority',
  'forecast api versioning',
  'telemetry bus partitions',
  'archive storage costs',
  'customer onboarding checklist',
  'who approves a rollback',
  'svalbard station antenna',
  'nowcast model accuracy',
  'api key rotation',
  'on-call escalation policy',
];

/** Queries that should find nothing: typos, other domains, junk. Zero-result rows are part of real logs. */
const MISSES = ['quarterly revenue spreadsheet', 'xqzv', '???', 'kubernetes helm chart values', 'holiday party venue'];

export function demoQuery(random: () => number, entities: readonly NamedEntity[]): string {
  const roll = random();
  if (roll < 0.04) return pick(random, MISSES);
  if (roll < 0.22 || entities.length === 0) return pick(random, FREE_QUESTIONS);
  const entity = pick(random, entities);
  const templates = TEMPLATES[entity.type] ?? ['{}'];
  return pick(random, templates).replace('{}', entity.name);
}

/**
 * A moment in the past `days` days, weighted towards recent days (usage grows) and office hours
 * (people and their agents work by day), in UTC.
 */
export function demoMoment(random: () => number, now: Date, days: number): Date {
  const daysAgo = Math.floor(days * Math.pow(random(), 1.6));
  const hour = random() < 0.8 ? 8 + Math.floor(random() * 10) : Math.floor(random() * 24);
  const moment = new Date(now.getTime() - daysAgo * 86_400_000);
  moment.setUTCHours(hour, Math.floor(random() * 60), Math.floor(random() * 60), Math.floor(random() * 1000));
  return moment.getTime() > now.getTime() ? new Date(now.getTime() - 60_000 - Math.floor(random() * 3_600_000)) : moment;
}
