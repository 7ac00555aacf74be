import type { DB } from '../../store/open-writer';
import { isoTimestamp, type Clock } from '../../store/time';
import { UserError } from '../errors';
import { refreshGraphStats } from '../graph-stats';
import { boostEntities, searchHits } from './boost-entities';
import { decayRelations } from './decay-relations';
import { findDuplicates } from './duplicates';
import { acquireGardenLock } from './garden-lock';
import { mergeEntities } from './merge-entities';
import { pruneOrphans } from './prune-orphans';
import { finishRunRow, insertRunningRow, markInterruptedRuns, type GardenCounters, type GardenTrigger } from './run-log';

/** What a run needs from the writer: its stores, its project and data directory, and its clock. */
export interface GardenContext {
  graphDb: DB;
  metricsDb: DB;
  project: string;
  dataDir: string;
  decayDays: number;
  clock: Clock;
  /** Writes queued telemetry, so the boost sees the latest searches. */
  flushTelemetry(): void;
}

export type GardenStep = 'merge' | 'prune' | 'decay' | 'boost' | 'statistics';

export interface GardenOptions {
  trigger: GardenTrigger;
  /** Names the run in the lock file, for the message a concurrent run gets. */
  command: string;
  /** Called after each step, inside the run's transaction. */
  onStep?: (step: GardenStep) => void;
}

export interface GardenSummary extends GardenCounters {
  runId: number;
  project: string;
  trigger: GardenTrigger;
  status: 'ok';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  relationsMerged: number;
  selfRelationsDropped: number;
  boostsLowered: number;
  /** Rows of earlier runs found 'running' with no live run behind them, now marked failed. */
  interruptedRunsClosed: number;
  connectedComponents: { count: number; largest: number };
}

/** A run that failed: its transaction rolled back, so the graph is as it was; its row says 'failed'. */
export class GardenRunError extends UserError {
  constructor(
    readonly runId: number,
    cause: unknown,
  ) {
    super(`Night Gardener run ${runId} failed and changed nothing: ${messageOf(cause)}`, 1);
    this.name = 'GardenRunError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One Night Gardener run over one project: merge duplicate entities, prune orphans, decay stale
 * relations, boost searched entities, recompute the graph statistics. Every graph change is made in
 * one transaction, so a crash or a failure leaves the graph as it was; the run is recorded in
 * metrics.db garden_runs ('running' at the start, 'ok' or 'failed' with its counters at the end).
 * Synchronous like every write of the writer: it holds the event loop for its duration.
 */
export function runNightGardener(context: GardenContext, options: GardenOptions): GardenSummary {
  const lock = acquireGardenLock(context.dataDir, options.command);
  try {
    const startedAt = context.clock();
    const started = performance.now();
    const interruptedRunsClosed = markInterruptedRuns(context.metricsDb, context.project, startedAt);
    const runId = insertRunningRow(context.metricsDb, context.project, options.trigger, startedAt);
    let result: ReturnType<typeof gardenSteps>;
    try {
      context.flushTelemetry();
      result = context.graphDb.transaction(() => gardenSteps(context, startedAt, options.onStep)).immediate();
    } catch (error) {
      try {
        finishRunRow(context.metricsDb, runId, {
          finishedAt: context.clock(),
          durationMs: performance.now() - started,
          counters: null,
          error: messageOf(error),
        });
      } catch {
        // The row stays 'running'; the next run marks it interrupted. The run's own error matters more.
      }
      throw new GardenRunError(runId, error);
    }
    const finishedAt = context.clock();
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    finishRunRow(context.metricsDb, runId, { finishedAt, durationMs, counters: result, error: null });
    return {
      runId,
      trigger: options.trigger,
      status: 'ok',
      startedAt: isoTimestamp(startedAt),
      finishedAt: isoTimestamp(finishedAt),
      durationMs,
      interruptedRunsClosed,
      ...result,
    };
  } finally {
    lock.release();
  }
}

function gardenSteps(context: GardenContext, now: Date, onStep: GardenOptions['onStep']) {
  const { graphDb: db, project } = context;
  const survivorOf = findDuplicates(db, project);
  const merged = mergeEntities(db, project, survivorOf, isoTimestamp(now));
  onStep?.('merge');
  const orphansPruned = pruneOrphans(db, project);
  onStep?.('prune');
  const relationsDecayed = decayRelations(db, project, now, context.decayDays);
  onStep?.('decay');
  const boosted = boostEntities(db, project, searchHits(context.metricsDb, project, now), survivorOf);
  onStep?.('boost');
  const snapshot = refreshGraphStats(db, project, now);
  onStep?.('statistics');
  return {
    project,
    ...merged,
    orphansPruned,
    relationsDecayed,
    ...boosted,
    connectedComponents: snapshot.connectedComponents ?? { count: 0, largest: 0 },
  };
}
