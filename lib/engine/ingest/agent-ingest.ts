import { randomUUID } from 'node:crypto';
import { emptyCounts, type ChangeCounts } from '../../store/change-counts';
import type { DB } from '../../store/open-writer';
import type { MemoryScope } from '../../store/scope';
import { isoTimestamp, type Clock } from '../../store/time';
import { UserError } from '../errors';
import type { Users } from '../identity/users';
import type { CallIdentity, TelemetryRecorder } from '../telemetry/recorder';
import { SubmittedEntities } from './agent-entities';
import type { GraphWriter } from './graph-writer';
import { prechunkedDocument, type PrechunkedInput } from './prechunked';
import type { PreparedDocument } from './prepare';
import { sessionDocument, type SessionExtractionInput } from './session-extraction';

export interface AgentIngestContext {
  graphDb: DB;
  graph: GraphWriter;
  recorder: TelemetryRecorder;
  users: Users;
  project: string;
  clock: Clock;
}

/** Who submits: the write scope, the session relations are stamped with, and the telemetry identity. */
export interface AgentSubmitter {
  scope: MemoryScope;
  sessionId: string | null;
  identity?: CallIdentity;
}

export type AgentChange = 'new' | 'changed' | 'unchanged';

export interface AgentWriteOutcome extends ChangeCounts {
  documentId: string;
  path: string;
  change: AgentChange;
  chunks: number;
  entities: number;
  relations: number;
}

type Build = (entities: SubmittedEntities) => PreparedDocument;

/**
 * Writes what an agent chunked and extracted itself (ingest_prechunked) or learned in a session
 * (submit_session_extraction) through the graph writer, as a document with its own provenance: one
 * transaction checks the submission against the graph and writes it, or writes nothing at all.
 */
export class AgentIngest {
  private readonly storedDoc;

  constructor(private readonly ctx: AgentIngestContext) {
    this.storedDoc = ctx.graphDb.prepare<[string], { source: string; content_hash: string }>(
      'SELECT source, content_hash FROM documents WHERE id = ?',
    );
  }

  prechunked(input: PrechunkedInput, submitter: AgentSubmitter): AgentWriteOutcome {
    const origin = { tool: 'ingest_prechunked', sessionId: submitter.sessionId };
    return this.write(submitter, (entities) =>
      prechunkedDocument(input, { project: this.ctx.project, scope: submitter.scope, origin }, entities),
    );
  }

  sessionExtraction(input: SessionExtractionInput, submitter: AgentSubmitter): AgentWriteOutcome {
    const origin = { tool: 'submit_session_extraction', sessionId: input.sessionId };
    return this.write(submitter, (entities) =>
      sessionDocument(input, { project: this.ctx.project, scope: submitter.scope, origin }, entities),
    );
  }

  private write(submitter: AgentSubmitter, build: Build): AgentWriteOutcome {
    const started = performance.now();
    const { scope } = submitter;
    const written = this.ctx.graphDb
      .transaction(() => {
        const entities = new SubmittedEntities(this.ctx.graphDb, this.ctx.project, scope);
        const doc = build(entities);
        const stored = this.storedDoc.get(doc.id);
        if (stored && stored.source !== doc.source)
          throw new UserError(`document ${doc.id} is a ${stored.source} document; ${doc.source} does not replace it.`);
        if (scope.userId) this.ctx.users.ensure(scope.userId, this.ctx.clock());
        const change: AgentChange = !stored ? 'new' : stored.content_hash === doc.contentHash ? 'unchanged' : 'changed';
        const counts = change === 'unchanged' ? emptyCounts() : this.ctx.graph.applyDocument(doc, isoTimestamp(this.ctx.clock()));
        return { doc, change, counts, entities: entities.count };
      })
      .immediate();
    const { doc, change, counts } = written;
    this.recordRun(doc, change, counts, submitter, performance.now() - started);
    return {
      documentId: doc.id,
      path: doc.path,
      change,
      chunks: doc.chunks.length,
      entities: written.entities,
      relations: doc.relations.length,
      ...counts,
    };
  }

  /** An ingest_runs row, as every note and memory gets, so the dashboard's ingest pages show the submission. */
  private recordRun(
    doc: PreparedDocument,
    change: AgentChange,
    counts: ChangeCounts,
    submitter: AgentSubmitter,
    durationMs: number,
  ): void {
    this.ctx.recorder.recordIngestRun({
      at: this.ctx.clock(),
      batchId: randomUUID(),
      path: doc.path,
      docId: doc.id,
      status: change === 'unchanged' ? 'skipped' : 'ok',
      change,
      reason: change === 'unchanged' ? 'unchanged' : null,
      ...counts,
      bytes: doc.bytes,
      durationMs,
      source: 'mcp',
      identity: submitter.identity,
    });
    this.ctx.recorder.flush();
  }
}
