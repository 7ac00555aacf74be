import fs from 'node:fs';
import path from 'node:path';
import { graphDbPath, metricsDbPath, type HydraConfig } from '../config';
import { ensureDataDir, openStoreForWriting, type DB } from '../store/open-writer';
import { isoTimestamp, systemClock, type Clock } from '../store/time';
import { gardenStatus, type GardenStatus } from './garden/status';
import { runNightGardener, type GardenOptions, type GardenSummary } from './garden/night-gardener';
import { graphCounts } from '../store/sql/graph-counts';
import { entityNeighbours, listEntities } from './graph-read';
import { AgentIngest, type AgentSubmitter, type AgentWriteOutcome } from './ingest/agent-ingest';
import { GraphWriter } from './ingest/graph-writer';
import type { PrechunkedInput } from './ingest/prechunked';
import type { SessionExtractionInput } from './ingest/session-extraction';
import { Ingestor, type IngestOptions, type IngestSummary } from './ingest/ingest';
import { acquireWriterLock, type WriterLock } from './lock';
import { GraphStatsRefresher } from './graph-stats-refresher';
import { GraphSearch, type SearchResult } from './search/search';
import { openDenseArm, type DenseArm } from './dense/dense-arm';
import { telemetryStats } from './stats';
import { ApiKeys } from './identity/api-keys';
import { rescopePrivateDocuments } from './identity/rescope';
import { Preferences } from './identity/preferences';
import { Users } from './identity/users';
import { TelemetryRecorder, type AuditRecord, type CallIdentity, type QueryDetails } from './telemetry/recorder';
import { writeScope, type ReadScopeFilter } from '../store/scope';
import { ManualRelations, type NewRelation, type RelationKey, type RelationWriter } from './relations/manual-relations';
import { entityRelations, type DirectionFilter } from './relations/relation-read';

export interface SearchRequest {
  query: string;
  limit?: number;
  /** Who reads: the shared notes, plus this user's memories (one of them when memoryId is given). */
  userId?: string | null;
  memoryId?: string | null;
  sessionId?: string | null;
  tool?: string;
  /** When the search happened; the demo replays history with past times. */
  at?: Date;
  /** The API key the search came with, recorded on its telemetry rows. */
  key?: KeyAttribution | null;
}

/** Who an agent's submission is from: the user and memory it is for (none: shared), its session and key. */
export interface AgentWriter {
  userId: string | null;
  memoryId: string | null;
  sessionId: string | null;
  key: KeyAttribution | null;
}

/** An API key as telemetry records it. */
export interface KeyAttribution {
  prefix: string;
  env: string;
}

export interface CallContext {
  tool: string;
  sessionId: string | null;
  identity?: CallIdentity;
}

/** The telemetry identity of a call for a user (or none) with a key (or none). */
export function callIdentity(
  userId: string | null,
  memoryId: string | null,
  key: KeyAttribution | null | undefined,
): CallIdentity {
  return { userId, memoryId, keyPrefix: key?.prefix ?? null, keyEnv: key?.env ?? null };
}

/**
 * The memory engine of one tenant: owns the writer lock, the two stores and the telemetry recorder.
 * Every operation that an MCP client or the CLI can trigger goes through here, so each is logged once.
 */
export class Engine {
  readonly graphDb: DB;
  readonly metricsDb: DB;
  readonly recorder: TelemetryRecorder;
  readonly ingestor: Ingestor;
  readonly searcher: GraphSearch;
  readonly graphStats: GraphStatsRefresher;
  readonly users: Users;
  readonly preferences: Preferences;
  readonly keys: ApiKeys;
  readonly agentIngest: AgentIngest;
  readonly manualRelations: ManualRelations;
  /** The dense search arm; null with HYDRAMEM_DENSE=off. */
  readonly dense: DenseArm | null;
  private closed = false;

  private constructor(
    readonly config: HydraConfig,
    readonly lock: WriterLock | null,
    readonly clock: Clock,
  ) {
    this.metricsDb = openStoreForWriting('metrics', metricsDbPath(config));
    try {
      this.graphDb = openStoreForWriting('graph', graphDbPath(config));
    } catch (error) {
      this.metricsDb.close();
      throw error;
    }
    this.recorder = new TelemetryRecorder(this.metricsDb, config.project, config.telemetryFlushMs);
    this.dense = config.dense ? openDenseArm(this.graphDb, config.project, config.cacheDir) : null;
    const graph = new GraphWriter(this.graphDb, config.project, this.dense?.vectors ?? null);
    this.ingestor = new Ingestor({
      graphDb: this.graphDb,
      graph,
      recorder: this.recorder,
      project: config.project,
      knowledgeDir: config.knowledgeDir,
      maxFileBytes: config.maxFileBytes,
      chunkTokens: config.chunkTokens,
      chunkOverlapTokens: config.chunkOverlapTokens,
      clock,
    });
    this.searcher = new GraphSearch(this.graphDb, config.project, this.dense?.search ?? null);
    this.graphStats = new GraphStatsRefresher(this.graphDb, config.project, clock);
    this.users = new Users(this.graphDb, config.project);
    this.preferences = new Preferences(this.graphDb, config.project);
    this.keys = new ApiKeys(this.metricsDb, config.project);
    this.agentIngest = new AgentIngest({
      graphDb: this.graphDb,
      graph,
      recorder: this.recorder,
      users: this.users,
      project: config.project,
      clock,
    });
    this.manualRelations = new ManualRelations(this.graphDb, config.project);
    if (rescopePrivateDocuments(this.graphDb, config.project, isoTimestamp(clock())) > 0) this.graphStats.markChanged();
    // Chunks stored before vectors existed (or by an import) get theirs now, a batch per transaction.
    this.dense?.vectors.backfill();
  }

  /** Takes the data directory's writer lock and opens (creating and migrating) its stores. */
  static open(config: HydraConfig, options: { command: string; clock?: Clock }): Engine {
    ensureDataDir(config.dataDir);
    const lock = acquireWriterLock(config.dataDir, options.command);
    try {
      return new Engine(config, lock, options.clock ?? systemClock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get project(): string {
    return this.config.project;
  }

  ingest(target: string, options: IngestOptions): IngestSummary {
    const summary = this.ingestor.ingestPath(target, options);
    if (summary.ok + summary.deleted > 0) this.graphStats.markChanged();
    const changed = summary.ok + summary.failed + summary.deleted > 0;
    if (options.actor && (changed || options.source === 'cli')) {
      const isFile = !fs.statSync(target, { throwIfNoEntry: false })?.isDirectory();
      this.audit({
        actor: options.actor,
        action: isFile ? 'ingest.file' : 'ingest.directory',
        target: path.relative(this.config.knowledgeDir, path.resolve(target)) || '.',
        result: summary.failed > 0 ? 'failed' : 'ok',
        reason: summary.failed > 0 ? `${summary.failed} file(s) failed` : null,
        keyPrefix: null,
        endUser: null,
        detail: { files: summary.files, ok: summary.ok, failed: summary.failed, deleted: summary.deleted },
      });
    }
    return summary;
  }

  search(request: SearchRequest): SearchResult {
    const tool = request.tool ?? 'hydra_search_tool';
    const started = performance.now();
    let result: SearchResult | null = null;
    let error: string | null = null;
    try {
      result = this.searcher.search(request.query, {
        limit: request.limit ?? 8,
        userId: request.userId ?? null,
        memoryId: request.memoryId ?? null,
      });
      if (request.userId) this.users.touch(request.userId, request.at ?? this.clock());
      return result;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      throw caught;
    } finally {
      const latencyMs = performance.now() - started;
      this.recorder.recordCall({
        at: request.at ?? this.clock(),
        tool,
        sessionId: request.sessionId ?? null,
        latencyMs,
        tokensInjected: result?.tokensInjected ?? 0,
        tokensBaseline: result?.tokensBaseline ?? 0,
        chunksTotal: result?.chunksConsidered ?? 0,
        metadata: { entities: result?.seeds.map((seed) => seed.id) ?? [], planner: result?.planner ?? 'none' },
        error,
        identity: callIdentity(request.userId ?? null, request.memoryId ?? null, request.key),
        query: {
          userId: request.userId ?? null,
          memoryId: request.memoryId ?? null,
          query: request.query,
          resultCount: result?.results.length ?? 0,
          topScore: result?.results[0]?.score ?? null,
          chunkIds: result?.results.map((hit) => hit.chunkId) ?? [],
          chunkHits: result?.results.map((hit) => ({ id: hit.chunkId, score: hit.score, ...hit.why })) ?? [],
          entityIds: [...new Set(result?.results.flatMap((hit) => hit.entities.map((entity) => entity.id)) ?? [])],
        },
      });
    }
  }

  /**
   * Runs a non-search tool and writes its one `events` row, also when it fails.
   * `metadata` may read the result to describe it (files processed, doc id).
   */
  track<T>(
    call: CallContext,
    run: () => T,
    metadata: (result: T) => Record<string, unknown> = () => ({}),
    /** For a search tool: its query_log row (what was asked, what came back). */
    query?: (result: T) => QueryDetails,
  ): T {
    const started = performance.now();
    let result: T | undefined;
    let error: string | null = null;
    try {
      result = run();
      return result;
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      throw caught;
    } finally {
      let details: Record<string, unknown> = {};
      let asked: QueryDetails | undefined;
      try {
        details = result === undefined ? {} : metadata(result);
        asked = result === undefined ? undefined : query?.(result);
      } catch {
        // Metadata is best effort: telemetry never fails the call.
      }
      this.recorder.recordCall({
        at: this.clock(),
        tool: call.tool,
        sessionId: call.sessionId,
        latencyMs: performance.now() - started,
        tokensInjected: 0,
        tokensBaseline: 0,
        chunksTotal: 0,
        metadata: details,
        error,
        identity: call.identity,
        query: asked,
      });
    }
  }

  /**
   * Stores a text as a memory: in the user's memory (`default` unless named), or in the shared
   * notes without a user. A write for a user creates their user record.
   */
  remember(
    input: { text: string; title?: string; userId?: string | null; memoryId?: string | null },
    source: string,
    key: KeyAttribution | null = null,
    /** Who asked, for the audit trail, when no MCP tool records the call (the demo). */
    actor: string | null = null,
  ) {
    const scope = writeScope(input.userId, input.memoryId);
    if (scope.userId) this.users.ensure(scope.userId, this.clock());
    const outcome = this.ingestor.ingestText(
      { text: input.text, title: input.title, scope },
      { source, recordUnchanged: true, identity: callIdentity(scope.userId, scope.memoryId, key) },
    );
    if (outcome.summary.ok > 0) this.graphStats.markChanged();
    if (actor)
      this.audit({
        actor,
        action: 'memory.remember',
        target: outcome.docId,
        result: 'ok',
        reason: null,
        keyPrefix: null,
        endUser: scope.userId,
      });
    return { ...outcome, scope };
  }

  /** A document an agent chunked and extracted itself (ingest_prechunked), in the scope of the user it is for. */
  ingestPrechunked(input: PrechunkedInput, writer: AgentWriter) {
    return this.agentWrite(writer, (submitter) => this.agentIngest.prechunked(input, submitter));
  }

  /** What an agent learned in a session (submit_session_extraction); the same session again replaces it. */
  submitSessionExtraction(input: SessionExtractionInput, writer: AgentWriter) {
    return this.agentWrite(writer, (submitter) => this.agentIngest.sessionExtraction(input, submitter));
  }

  private agentWrite(writer: AgentWriter, write: (submitter: AgentSubmitter) => AgentWriteOutcome) {
    const scope = writeScope(writer.userId, writer.memoryId);
    const outcome = write({
      scope,
      sessionId: writer.sessionId,
      identity: callIdentity(scope.userId, scope.memoryId, writer.key),
    });
    if (outcome.change !== 'unchanged') this.graphStats.markChanged();
    return { ...outcome, scope };
  }

  /** An audit-trail row (written with the next telemetry batch). */
  audit(record: Omit<AuditRecord, 'at'> & { at?: Date }): void {
    this.recorder.recordAudit({ ...record, at: record.at ?? this.clock() });
  }

  /** Over the relations that hold now, or at `asOf` (an isoTimestamp). */
  neighbours(ref: string, limit: number, scope: ReadScopeFilter, hops = 1, asOf: string | null = null) {
    return entityNeighbours(this.graphDb, this.project, ref, limit, scope, hops, asOf);
  }

  relationsOf(ref: string, options: { asOf: string | null; direction: DirectionFilter; limit: number }, scope: ReadScopeFilter) {
    return entityRelations(this.graphDb, this.project, ref, options, scope);
  }

  createRelation(input: NewRelation, writer: RelationWriter) {
    const result = this.manualRelations.create(input, writer, this.clock());
    this.graphStats.markChanged();
    return result;
  }

  deleteRelation(key: RelationKey, writer: RelationWriter) {
    const closed = this.manualRelations.delete(key, writer, this.clock());
    this.graphStats.markChanged();
    return closed;
  }

  entities(filter: { type?: string; query?: string; limit: number; offset: number }, scope: ReadScopeFilter) {
    return listEntities(this.graphDb, this.project, filter, scope);
  }

  /**
   * Telemetry and graph size. For a reader (an MCP caller), what they may see: a user's own calls
   * and visible graph, or the project's calls and the shared graph; without one (the tenant's
   * operator on the command line), the whole project.
   */
  stats(days: number, scope?: ReadScopeFilter) {
    this.recorder.flush();
    const since = new Date(this.clock().getTime() - days * 86_400_000);
    return {
      telemetry: telemetryStats(this.metricsDb, this.project, since, scope?.userId ?? null),
      graph: graphCounts(this.graphDb, this.project, scope),
    };
  }

  /**
   * One Night Gardener run over the project (see lib/engine/garden/night-gardener.ts); `actor`
   * names who asked in the audit trail when no MCP tool records the call.
   */
  runGarden(options: GardenOptions, actor: string | null = null): GardenSummary {
    const record = (result: 'ok' | 'failed', target: string | null, reason: string | null): void => {
      if (actor) this.audit({ actor, action: 'garden.run', target, result, reason, keyPrefix: null, endUser: null });
    };
    try {
      const summary = this.gardenRun(options);
      record('ok', `garden_run:${summary.runId}`, null);
      return summary;
    } catch (error) {
      record('failed', null, (error as Error).message);
      throw error;
    }
  }

  private gardenRun(options: GardenOptions): GardenSummary {
    return runNightGardener(
      {
        graphDb: this.graphDb,
        metricsDb: this.metricsDb,
        project: this.project,
        dataDir: this.config.dataDir,
        decayDays: this.config.gardenDecayDays,
        clock: this.clock,
        flushTelemetry: () => this.recorder.flush(),
      },
      options,
    );
  }

  gardenStatus(): GardenStatus {
    return gardenStatus(
      this.metricsDb,
      { project: this.project, dataDir: this.config.dataDir, schedule: this.config.gardenSchedule },
      new Date(), // the scheduler's timers run on real time, whatever clock the engine records with
    );
  }

  /** Flushes telemetry, checkpoints and closes the stores, and releases the lock. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recorder.close();
    this.graphStats.close();
    for (const db of [this.graphDb, this.metricsDb]) {
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Readers may hold the WAL; the next writer start checkpoints it.
      }
      db.close();
    }
    this.lock?.release();
  }
}
