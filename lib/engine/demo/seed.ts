import fs from 'node:fs';
import path from 'node:path';
import { callIdentity, type Engine } from '../engine';
import { demoMoment, demoQuery, type NamedEntity } from './queries';
import { pick, seededRandom } from './random';

export interface DemoClock {
  set(date: Date): void;
  now(): Date;
}

/** A clock the demo moves through the past; reads the system clock until set. */
export function demoClock(): DemoClock & { clock: () => Date } {
  let fixed: Date | null = null;
  return {
    set(date) {
      fixed = date;
    },
    now: () => fixed ?? new Date(),
    clock: () => fixed ?? new Date(),
  };
}

interface Wave {
  daysAgo: number;
  folders: string[];
}

/** The sample arrives in waves over a month, as a team's notes would. */
const WAVES: Wave[] = [
  { daysAgo: 30, folders: ['README.md', 'people', 'teams'] },
  { daysAgo: 24, folders: ['services'] },
  { daysAgo: 18, folders: ['projects'] },
  { daysAgo: 12, folders: ['decisions'] },
  { daysAgo: 8, folders: ['meetings'] },
  { daysAgo: 5, folders: ['runbooks'] },
];

const EDITS: Array<{ file: string; text: string }> = [
  {
    file: 'services/telemetry-bus.md',
    text: '\n## Update\n\nPartition count raised from 24 to 48 after the March backlog; see [[Ingest Backlog Recovery]].\n',
  },
  {
    file: 'projects/nowcast-engine.md',
    text: '\n## Update\n\nThe nowcast beta moved to the [[Model Runner]] GPU pool; [[Forecast API]] serves it behind a flag.\n',
  },
  {
    file: 'teams/site-reliability.md',
    text: '\n## Update\n\nThe on-call rotation now pairs one ground and one ingest engineer each week. #oncall\n',
  },
];

export interface DemoSeedOptions {
  samplesDir: string;
  searches: number;
  seed?: number;
  log?: (line: string) => void;
}

function at(daysAgo: number, hour: number, base: Date): Date {
  const moment = new Date(base.getTime() - daysAgo * 86_400_000);
  moment.setUTCHours(hour, 12, 0, 0);
  return moment;
}

function copyInto(source: string, target: string): void {
  fs.cpSync(source, target, { recursive: true });
}

/**
 * Builds a demo tenant through the real engine: the sample notes arrive in waves over the past
 * month (with edits, a deleted note and a few bad files), then a few hundred searches and other tool
 * calls are replayed through the real search path at past times, so every chart has history.
 */
export function seedDemoTenant(engine: Engine, clock: DemoClock, options: DemoSeedOptions): void {
  const log = options.log ?? (() => undefined);
  const kms = engine.config.knowledgeDir;
  const now = new Date();
  fs.mkdirSync(kms, { recursive: true });

  WAVES.forEach((wave, index) => {
    for (const entry of wave.folders) copyInto(path.join(options.samplesDir, entry), path.join(kms, entry));
    clock.set(at(wave.daysAgo, 9 + index, now));
    const summary = engine.ingest(kms, { source: 'demo', recordUnchanged: false, actor: 'demo' });
    log(`day -${wave.daysAgo}: ingested ${summary.ok} note(s) from ${wave.folders.join(', ')}`);
    nightlyGarden(engine, clock, wave.daysAgo, now);
  });

  for (const edit of EDITS) fs.appendFileSync(path.join(kms, edit.file), edit.text);
  clock.set(at(3, 14, now));
  engine.ingest(kms, { source: 'demo', recordUnchanged: false, actor: 'demo' });
  log(`day -3: edited ${EDITS.length} notes`);
  nightlyGarden(engine, clock, 3, now);

  const inbox = path.join(kms, 'inbox');
  fs.mkdirSync(inbox, { recursive: true });
  fs.writeFileSync(path.join(inbox, 'broken-front-matter.md'), '---\ntitle: "Unclosed quote\ntags: [ops\n---\n# Broken\n');
  fs.writeFileSync(path.join(inbox, 'scanned-whiteboard.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));
  fs.writeFileSync(path.join(inbox, 'empty.md'), '');
  clock.set(at(2, 11, now));
  const bad = engine.ingest(kms, { source: 'demo', recordUnchanged: false, actor: 'demo' });
  log(`day -2: ${bad.failed} failed and ${bad.skipped - bad.unchanged} skipped file(s) recorded`);
  nightlyGarden(engine, clock, 2, now);

  fs.rmSync(path.join(kms, 'meetings', '2024-05-09-harbourline-forecast-sync.md'), { force: true });
  clock.set(at(1, 10, now));
  engine.ingest(kms, { source: 'demo', recordUnchanged: false, actor: 'demo' });
  log('day -1: deleted one meeting note');

  seedIdentities(engine, clock, now);
  replayCalls(engine, clock, now, options);
  clock.set(now);
  engine.recorder.flush();
  // One run now, so the boosts from the replayed searches show; it also refreshes the statistics.
  const garden = engine.runGarden({ trigger: 'manual', command: 'hydramem demo' }, 'demo');
  log(`Night Gardener: ${garden.entitiesMerged} merged, ${garden.entitiesBoosted} boosted`);
}

/**
 * Users with attributes, preferences that change over the month (one superseded), and API keys
 * (their plaintext is not kept: the demo's writer serves MCP without keys on loopback).
 */
function seedIdentities(engine: Engine, clock: DemoClock, now: Date): void {
  const people: Array<[string, Record<string, string>]> = [
    ['mara.okafor', { role: 'ops lead', team: 'ground segment' }],
    ['priya.r', { role: 'forecaster' }],
    ['tomasz.w', { role: 'engineer', team: 'telemetry' }],
  ];
  clock.set(at(28, 8, now));
  for (const [id, attributes] of people) {
    engine.users.upsert(id, attributes, clock.now());
    engine.audit({ actor: 'demo', action: 'user.upsert', target: id, result: 'ok', reason: null, keyPrefix: null, endUser: id });
  }
  const add = (userId: string, category: string, text: string, appliesTo: Array<{ name: string; type: string }>) => {
    const preference = engine.preferences.add({ userId, category, text, appliesTo }, clock.now());
    engine.audit({
      actor: 'demo',
      action: 'preference.add',
      target: preference.id,
      result: 'ok',
      reason: null,
      keyPrefix: null,
      endUser: userId,
    });
    return preference;
  };
  clock.set(at(25, 10, now));
  const daily = add('mara.okafor', 'reports', 'Daily pass summary at 07:00 UTC', [
    { name: 'Svalbard Ground Station', type: 'station' },
  ]);
  add('priya.r', 'alerts', 'Page only for forecast API latency over 2 s', [{ name: 'Forecast API', type: 'service' }]);
  clock.set(at(12, 16, now));
  const weekly = add('mara.okafor', 'reports', 'Weekly pass summary on Mondays, daily only during incidents', [
    { name: 'Svalbard Ground Station', type: 'station' },
  ]);
  engine.preferences.supersede(daily.id, weekly.id, 'mara.okafor', clock.now());
  engine.audit({
    actor: 'demo',
    action: 'preference.supersede',
    target: `${daily.id} -> ${weekly.id}`,
    result: 'ok',
    reason: null,
    keyPrefix: null,
    endUser: 'mara.okafor',
  });
  clock.set(at(20, 9, now));
  for (const input of [
    { env: 'live', scopes: ['memory:read', 'memory:add'], name: 'ops assistant', userId: null },
    { env: 'live', scopes: ['memory:read'], name: 'mara’s editor', userId: 'mara.okafor' },
    { env: 'test', scopes: ['memory:*'], name: 'back office', userId: null },
  ] as const) {
    const key = engine.keys.create({ ...input, scopes: [...input.scopes] }, clock.now());
    engine.audit({
      actor: 'demo',
      action: 'key.create',
      target: key.id,
      result: 'ok',
      reason: null,
      keyPrefix: key.prefix,
      endUser: key.user_id,
    });
  }
}

/** The Night Gardener run a serving writer would have made at 03:12 the night after a day's changes. */
function nightlyGarden(engine: Engine, clock: DemoClock, daysAgo: number, now: Date): void {
  const night = at(daysAgo - 1, 3, now);
  if (night > now) return;
  clock.set(night);
  engine.runGarden({ trigger: 'schedule', command: 'hydramem demo' }, 'schedule');
}

function replayCalls(engine: Engine, clock: DemoClock, now: Date, options: DemoSeedOptions): void {
  const random = seededRandom(options.seed ?? 20261122);
  const entities: NamedEntity[] = engine.graphDb
    .prepare<[string], NamedEntity>(
      "SELECT name, type FROM entities WHERE project = ? AND type IN ('service','person','project','team','decision','meeting','runbook') ORDER BY id",
    )
    .all(engine.project);
  const users = ['mara.okafor', 'tomasz.w', 'priya.r', 'agent-forecast-bot', 'agent-oncall'];
  const memories = ['chat', 'ops', null];
  let done = 0;
  while (done < options.searches) {
    // A session: one user or agent asking a few related questions within minutes.
    // Started early enough that its last call (at most 8 steps of up to 110 s) is still in the past.
    const start = new Date(Math.min(demoMoment(random, now, 30).getTime(), now.getTime() - 8 * 110_000));
    const userId = pick(random, users);
    const memoryId = pick(random, memories);
    const sessionId = `demo-${start.getTime().toString(36)}-${Math.floor(random() * 1e6).toString(36)}`;
    const length = 1 + Math.floor(random() * 8);
    for (let step = 0; step < length && done < options.searches; step++, done++) {
      clock.set(new Date(start.getTime() + step * (20_000 + Math.floor(random() * 90_000))));
      const roll = random();
      if (roll < 0.06) {
        const entity = entities.length > 0 ? pick(random, entities).name : 'Telemetry Bus';
        engine.track(
          { tool: 'get_entity_neighbors_tool', sessionId, identity: callIdentity(userId, memoryId, null) },
          () => engine.neighbours(entity, 25, { userId, memoryId }),
          (found) => ({ entities: found.entity ? [found.entity.id] : [] }),
        );
      } else if (roll < 0.09) {
        const text = `${userId} noted: ${demoQuery(random, entities)} needs a follow-up next week.`;
        engine.track(
          { tool: 'remember', sessionId, identity: callIdentity(userId, memoryId, null) },
          () => engine.remember({ text, userId, memoryId }, 'demo', null, 'demo'),
          (result) => ({ doc_id: result.docId, files_processed: 1, source: 'remember' }),
        );
      } else {
        engine.search({ query: demoQuery(random, entities), limit: 8, userId, memoryId, sessionId, tool: 'hydra_search_tool' });
      }
    }
  }
  options.log?.(`replayed ${done} tool calls over the past 30 days`);
}
