import type { DB } from '../../store/open-writer';
import { emptyHistogram, latencyBinIndex, mergeHistograms, parseHistogram } from '../../store/latency-bins';
import { hourBucket, isoTimestamp } from '../../store/time';
import { addCounts, emptyCounts, type ChangeCounts } from '../../store/change-counts';
import { isSearchTool } from '../../store/search-tools';
import type { ChunkHitRecord } from '../../store/chunk-hits';

export interface QueryDetails {
  userId: string | null;
  memoryId: string | null;
  query: string;
  resultCount: number;
  topScore: number | null;
  chunkIds: string[];
  /** Each returned chunk's score and why it came back; absent: not known (written as '[]'). */
  chunkHits?: ChunkHitRecord[];
  entityIds: string[];
}

/** On whose behalf, and with which key, a call or an ingest was made. */
export interface CallIdentity {
  userId: string | null;
  memoryId: string | null;
  keyPrefix: string | null;
  keyEnv: string | null;
}

export const NO_IDENTITY: CallIdentity = { userId: null, memoryId: null, keyPrefix: null, keyEnv: null };

/** One row of the audit trail: who did what to what, and how it ended. */
export interface AuditRecord {
  at: Date;
  /** `key:hm_live_…`, `stdio`, `cli:<os user>`, `http (no auth)`, `demo`, `schedule`. */
  actor: string;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'failed';
  reason: string | null;
  keyPrefix: string | null;
  endUser: string | null;
  detail?: Record<string, unknown>;
}

/** One tool call: an `events` row, and a `query_log` row when it was a search. */
export interface CallRecord {
  at: Date;
  tool: string;
  sessionId: string | null;
  latencyMs: number;
  tokensInjected: number;
  tokensBaseline: number;
  chunksTotal: number;
  metadata: Record<string, unknown>;
  error: string | null;
  query?: QueryDetails;
  identity?: CallIdentity;
}

export type IngestStatus = 'ok' | 'skipped' | 'failed';
export type IngestChange = 'new' | 'changed' | 'unchanged' | 'deleted' | 'none';

export interface IngestRunRecord extends ChangeCounts {
  at: Date;
  batchId: string;
  path: string;
  docId: string | null;
  status: IngestStatus;
  change: IngestChange;
  reason: string | null;
  bytes: number | null;
  durationMs: number;
  source: string;
  identity?: CallIdentity;
}

interface CallRollup {
  calls: number;
  errors: number;
  searches: number;
  zeroResults: number;
  latencySum: number;
  latencyMax: number;
  hist: number[];
  tokensInjected: number;
  tokensBaseline: number;
}

interface IngestRollupDelta extends ChangeCounts {
  files: number;
  durationSum: number;
}

/** Who a call was for, in `events.metadata_json` (the Python columns stay as they are). */
function identityMetadata(identity: CallIdentity | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (identity?.userId) out.user_id = identity.userId;
  if (identity?.memoryId) out.memory_id = identity.memoryId;
  if (identity?.keyPrefix) out.key_prefix = identity.keyPrefix;
  if (identity?.keyEnv) out.key_env = identity.keyEnv;
  return out;
}

/**
 * Records telemetry in batches: calls queue in memory and are written, with the rollups they feed,
 * in one transaction every flush interval (or when the queue is long). A failed write is reported
 * on stderr and counted; it never fails the tool call that produced it.
 */
export class TelemetryRecorder {
  private calls: CallRecord[] = [];
  private ingestRuns: IngestRunRecord[] = [];
  private audits: AuditRecord[] = [];
  /** The latest use of each API key since the last flush. */
  private keyUses = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  dropped = 0;
  written = 0;
  private readonly stmt;

  constructor(
    private readonly db: DB,
    private readonly project: string,
    private readonly flushMs: number,
    private readonly maxQueue = 500,
  ) {
    this.stmt = {
      event: db.prepare(`INSERT INTO events (ts, project, tool_name, session_id, llm_preset, tokens_injected, tokens_baseline,
          vog_score, chunks_total, latency_ms, metadata_json) VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?, ?)`),
      query: db.prepare(`INSERT INTO query_log (ts, project, session_id, user_id, memory_id, tool, query, result_count,
          top_score, latency_ms, tokens_injected, tokens_baseline, chunk_ids, entity_ids, status, error, key_prefix, key_env,
          chunk_hits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      ingest: db.prepare(`INSERT INTO ingest_runs (ts, project, batch_id, path, doc_id, status, change, reason, chunks_added,
          chunks_removed, entities_added, entities_removed, relations_added, relations_removed, bytes, duration_ms, source,
          user_id, memory_id, key_prefix)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      audit:
        db.prepare(`INSERT INTO audit_log (ts, project, actor, action, target, detail_json, result, reason, key_prefix, end_user)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      keyUse: db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)'),
      userRollup: db.prepare(`INSERT INTO user_rollup_daily (project, user_id, day, calls, searches, errors, last_call_at)
          VALUES (@project, @userId, @day, @calls, @searches, @errors, @last)
          ON CONFLICT(project, user_id, day) DO UPDATE SET calls = calls + excluded.calls, searches = searches + excluded.searches,
            errors = errors + excluded.errors, last_call_at = MAX(last_call_at, excluded.last_call_at)`),
      callRollup: db.prepare<[string, string, string], { latency_hist: string; latency_max_ms: number }>(
        'SELECT latency_hist, latency_max_ms FROM call_rollup_hourly WHERE project = ? AND hour = ? AND tool = ?',
      ),
      upsertCallRollup: db.prepare(`INSERT INTO call_rollup_hourly (project, hour, tool, calls, errors, searches, zero_results,
          latency_sum_ms, latency_max_ms, latency_hist, tokens_injected, tokens_baseline)
          VALUES (@project, @hour, @tool, @calls, @errors, @searches, @zeroResults, @latencySum, @latencyMax, @hist,
            @tokensInjected, @tokensBaseline)
          ON CONFLICT(project, hour, tool) DO UPDATE SET calls = calls + excluded.calls, errors = errors + excluded.errors,
            searches = searches + excluded.searches, zero_results = zero_results + excluded.zero_results,
            latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms, latency_max_ms = excluded.latency_max_ms,
            latency_hist = excluded.latency_hist, tokens_injected = tokens_injected + excluded.tokens_injected,
            tokens_baseline = tokens_baseline + excluded.tokens_baseline`),
      upsertIngestRollup: db.prepare(`INSERT INTO ingest_rollup_hourly (project, hour, status, files, chunks_added,
          chunks_removed, entities_added, entities_removed, relations_added, relations_removed, duration_sum_ms)
          VALUES (@project, @hour, @status, @files, @chunksAdded, @chunksRemoved, @entitiesAdded, @entitiesRemoved,
            @relationsAdded, @relationsRemoved, @durationSum)
          ON CONFLICT(project, hour, status) DO UPDATE SET files = files + excluded.files,
            chunks_added = chunks_added + excluded.chunks_added, chunks_removed = chunks_removed + excluded.chunks_removed,
            entities_added = entities_added + excluded.entities_added,
            entities_removed = entities_removed + excluded.entities_removed,
            relations_added = relations_added + excluded.relations_added,
            relations_removed = relations_removed + excluded.relations_removed,
            duration_sum_ms = duration_sum_ms + excluded.duration_sum_ms`),
    };
  }

  recordCall(record: CallRecord): void {
    if (this.closed) return;
    this.calls.push(record);
    this.schedule();
  }

  recordIngestRun(record: IngestRunRecord): void {
    if (this.closed) return;
    this.ingestRuns.push(record);
    this.schedule();
  }

  /** An audit-trail row, written with the next batch; never fails the call it describes. */
  recordAudit(record: AuditRecord): void {
    if (this.closed) return;
    this.audits.push(record);
    this.schedule();
  }

  /** A use of an API key: its last-used time is written with the next batch. */
  recordKeyUse(keyId: string, at: Date): void {
    if (this.closed) return;
    const last = this.keyUses.get(keyId);
    if (!last || last < at) this.keyUses.set(keyId, at);
    this.schedule();
  }

  get pending(): number {
    return this.calls.length + this.ingestRuns.length + this.audits.length;
  }

  private schedule(): void {
    if (this.pending >= this.maxQueue) {
      this.flush();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref();
  }

  /** Writes everything queued in one transaction. Safe to call at any time; never throws. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const calls = this.calls;
    const runs = this.ingestRuns;
    const audits = this.audits;
    const keyUses = this.keyUses;
    const records = calls.length + runs.length + audits.length;
    if (records === 0 && keyUses.size === 0) return;
    this.calls = [];
    this.ingestRuns = [];
    this.audits = [];
    this.keyUses = new Map();
    try {
      this.db
        .transaction(() => {
          this.writeCalls(calls);
          this.writeIngestRuns(runs);
          this.writeAudits(audits);
          for (const [id, at] of keyUses) {
            const ts = isoTimestamp(at);
            this.stmt.keyUse.run(ts, id, ts);
          }
        })
        .immediate();
      this.written += records;
    } catch (error) {
      this.dropped += records;
      process.stderr.write(`hydramem: telemetry write failed, ${records} record(s) dropped: ${String(error)}\n`);
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
  }

  private writeAudits(audits: AuditRecord[]): void {
    for (const audit of audits) {
      this.stmt.audit.run(
        isoTimestamp(audit.at),
        this.project,
        audit.actor,
        audit.action,
        audit.target,
        JSON.stringify(audit.detail ?? {}),
        audit.result,
        audit.reason,
        audit.keyPrefix,
        audit.endUser,
      );
    }
  }

  /** Calls per user and UTC day, for the dashboard's users page (a handful of rows, not the event log). */
  private writeUserRollups(calls: CallRecord[]): void {
    const byUserDay = new Map<
      string,
      { userId: string; day: string; calls: number; searches: number; errors: number; last: string }
    >();
    for (const call of calls) {
      const userId = call.identity?.userId;
      if (!userId) continue;
      const ts = isoTimestamp(call.at);
      const day = ts.slice(0, 10);
      const key = `${userId}\u0000${day}`;
      const row = byUserDay.get(key) ?? { userId, day, calls: 0, searches: 0, errors: 0, last: ts };
      row.calls += 1;
      row.searches += isSearchTool(call.tool) ? 1 : 0;
      row.errors += call.error ? 1 : 0;
      if (ts > row.last) row.last = ts;
      byUserDay.set(key, row);
    }
    for (const row of byUserDay.values()) this.stmt.userRollup.run({ project: this.project, ...row });
  }

  private writeCalls(calls: CallRecord[]): void {
    this.writeUserRollups(calls);
    const rollups = new Map<string, CallRollup>();
    for (const call of calls) {
      const ts = isoTimestamp(call.at);
      const metadata = { ...call.metadata, ...identityMetadata(call.identity), ...(call.error ? { error: call.error } : {}) };
      this.stmt.event.run(
        ts,
        this.project,
        call.tool,
        call.sessionId,
        Math.round(call.tokensInjected),
        Math.round(call.tokensBaseline),
        call.chunksTotal,
        Math.round(call.latencyMs),
        JSON.stringify(metadata),
      );
      if (call.query) {
        const q = call.query;
        this.stmt.query.run(
          ts,
          this.project,
          call.sessionId,
          q.userId,
          q.memoryId,
          call.tool,
          q.query,
          q.resultCount,
          q.topScore,
          call.latencyMs,
          Math.round(call.tokensInjected),
          Math.round(call.tokensBaseline),
          JSON.stringify(q.chunkIds),
          JSON.stringify(q.entityIds),
          call.error ? 'error' : 'ok',
          call.error,
          call.identity?.keyPrefix ?? null,
          call.identity?.keyEnv ?? null,
          JSON.stringify(q.chunkHits ?? []),
        );
      }
      const key = `${hourBucket(call.at)}\u0000${call.tool}`;
      const rollup = rollups.get(key) ?? {
        calls: 0,
        errors: 0,
        searches: 0,
        zeroResults: 0,
        latencySum: 0,
        latencyMax: 0,
        hist: emptyHistogram(),
        tokensInjected: 0,
        tokensBaseline: 0,
      };
      rollup.calls += 1;
      rollup.errors += call.error ? 1 : 0;
      const search = isSearchTool(call.tool);
      rollup.searches += search ? 1 : 0;
      rollup.zeroResults += search && !call.error && (call.query?.resultCount ?? 0) === 0 ? 1 : 0;
      rollup.latencySum += call.latencyMs;
      rollup.latencyMax = Math.max(rollup.latencyMax, call.latencyMs);
      rollup.hist[latencyBinIndex(call.latencyMs)] = (rollup.hist[latencyBinIndex(call.latencyMs)] ?? 0) + 1;
      rollup.tokensInjected += Math.round(call.tokensInjected);
      rollup.tokensBaseline += Math.round(call.tokensBaseline);
      rollups.set(key, rollup);
    }
    for (const [key, delta] of rollups) {
      const [hour = '', tool = ''] = key.split('\u0000');
      const current = this.stmt.callRollup.get(this.project, hour, tool);
      const hist = mergeHistograms(parseHistogram(current?.latency_hist ?? null), delta.hist);
      this.stmt.upsertCallRollup.run({
        project: this.project,
        hour,
        tool,
        calls: delta.calls,
        errors: delta.errors,
        searches: delta.searches,
        zeroResults: delta.zeroResults,
        latencySum: delta.latencySum,
        latencyMax: Math.max(current?.latency_max_ms ?? 0, delta.latencyMax),
        hist: JSON.stringify(hist),
        tokensInjected: delta.tokensInjected,
        tokensBaseline: delta.tokensBaseline,
      });
    }
  }

  private writeIngestRuns(runs: IngestRunRecord[]): void {
    const rollups = new Map<string, IngestRollupDelta>();
    for (const run of runs) {
      this.stmt.ingest.run(
        isoTimestamp(run.at),
        this.project,
        run.batchId,
        run.path,
        run.docId,
        run.status,
        run.change,
        run.reason,
        run.chunksAdded,
        run.chunksRemoved,
        run.entitiesAdded,
        run.entitiesRemoved,
        run.relationsAdded,
        run.relationsRemoved,
        run.bytes,
        run.durationMs,
        run.source,
        run.identity?.userId ?? null,
        run.identity?.memoryId ?? null,
        run.identity?.keyPrefix ?? null,
      );
      const key = `${hourBucket(run.at)}\u0000${run.status}`;
      const delta = rollups.get(key) ?? { files: 0, durationSum: 0, ...emptyCounts() };
      delta.files += 1;
      delta.durationSum += run.durationMs;
      addCounts(delta, run);
      rollups.set(key, delta);
    }
    for (const [key, delta] of rollups) {
      const [hour = '', status = ''] = key.split('\u0000');
      this.stmt.upsertIngestRollup.run({ project: this.project, hour, status, ...delta });
    }
  }
}
