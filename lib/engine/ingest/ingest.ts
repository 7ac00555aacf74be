import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../../store/open-writer';
import { documentId } from '../../store/ids';
import type { MemoryScope } from '../../store/scope';
import { isoTimestamp, type Clock } from '../../store/time';
import { UserError } from '../errors';
import type { CallIdentity, IngestChange, IngestRunRecord, IngestStatus, TelemetryRecorder } from '../telemetry/recorder';
import { NoteContentError } from './front-matter';
import { addCounts, emptyCounts, type ChangeCounts } from '../../store/change-counts';
import type { GraphWriter } from './graph-writer';
import { fallbackTitleFromPath, prepareDocument, type NoteInput } from './prepare';
import { isRejection, readNoteFile } from './read-note';
import { isInside, isNotePath, relativeTo, scanKnowledgeDir } from './scan';

export interface IngestContext {
  graphDb: DB;
  graph: GraphWriter;
  recorder: TelemetryRecorder;
  project: string;
  knowledgeDir: string;
  maxFileBytes: number;
  chunkTokens: number;
  chunkOverlapTokens: number;
  clock: Clock;
}

export interface IngestOptions {
  /** Who asked: cli, watch, mcp, demo. Stored on every ingest_runs row. */
  source: string;
  /** Record unchanged files too (explicit ingests do; the watcher's rescans do not). */
  recordUnchanged?: boolean;
  /** On whose behalf and with which key, recorded on every ingest_runs row. */
  identity?: CallIdentity;
  /**
   * Who asked, for the audit trail (`watch`, `serve`, `cli:<os user>`); MCP calls are recorded by
   * their tool instead. A rescan that changed nothing is not recorded.
   */
  actor?: string;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface FileOutcome {
  path: string;
  status: IngestStatus;
  change: IngestChange;
  reason: string | null;
}

export interface IngestSummary extends ChangeCounts {
  batchId: string;
  files: number;
  ok: number;
  skipped: number;
  failed: number;
  unchanged: number;
  deleted: number;
  durationMs: number;
  problems: FileOutcome[];
}

const NOTES_PER_TRANSACTION = 64;

/** What happened to one file, before the batch, time and source are added to make an ingest_runs row. */
type FileRun = Pick<IngestRunRecord, 'path' | 'docId' | 'status' | 'change' | 'reason' | 'bytes' | 'durationMs'> & {
  counts: ChangeCounts;
};

interface StoredDoc {
  content_hash: string;
  mtime_ms: number | null;
  bytes: number;
}

function emptySummary(batchId: string): IngestSummary {
  return {
    batchId,
    files: 0,
    ok: 0,
    skipped: 0,
    failed: 0,
    unchanged: 0,
    deleted: 0,
    durationMs: 0,
    problems: [],
    ...emptyCounts(),
  };
}

/**
 * Ingests one note or a whole folder. Every file gets one ingest_runs row; a bad file is recorded
 * with its reason and the run goes on. For a folder, notes that were ingested from it before and
 * are gone now are removed from the graph.
 */
/** Long enough for any of our reasons with a path in it. */
const MAX_REASON_CHARS = 500;

export class Ingestor {
  /** Files that failed or were skipped, by size and mtime, so rescans do not report them again and again. */
  private readonly rejected = new Map<string, string>();
  private readonly storedDoc;
  private readonly filesUnder;
  private readonly touchMtime;

  constructor(private readonly ctx: IngestContext) {
    this.storedDoc = ctx.graphDb.prepare<[string], StoredDoc>('SELECT content_hash, mtime_ms, bytes FROM documents WHERE id = ?');
    this.touchMtime = ctx.graphDb.prepare('UPDATE documents SET mtime_ms = ? WHERE id = ?');
    this.filesUnder = ctx.graphDb.prepare<[string], { id: string; path: string; abs_path: string }>(
      "SELECT id, path, abs_path FROM documents WHERE project = ? AND source = 'file' AND abs_path IS NOT NULL",
    );
  }

  ingestPath(target: string, options: IngestOptions): IngestSummary {
    const absTarget = path.resolve(target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absTarget);
    } catch {
      throw new UserError(`${absTarget} does not exist: give a folder of notes or a note file (KNOWLEDGE_DIR for serve).`, 2);
    }
    this.mustBeInsideKnowledgeDir(absTarget);
    const summary = emptySummary(randomUUID());
    const started = performance.now();
    if (stat.isDirectory()) {
      const scan = scanKnowledgeDir(absTarget, this.ctx.knowledgeDir);
      const total = scan.files.length + scan.skipped.length;
      let done = 0;
      for (const skip of scan.skipped) {
        this.record(summary, options, {
          path: this.displayPath(skip.absPath),
          docId: null,
          status: 'skipped',
          change: 'none',
          reason: skip.reason,
          bytes: null,
          durationMs: 0,
          counts: emptyCounts(),
        });
        options.onProgress?.(++done, total, skip.relPath);
      }
      const present = new Set<string>(scan.files.map((file) => file.absPath));
      // Several notes per transaction: one commit per note would cost more than the note itself.
      // Each note is still all-or-nothing (a savepoint inside the group).
      for (let start = 0; start < scan.files.length; start += NOTES_PER_TRANSACTION) {
        const group = scan.files.slice(start, start + NOTES_PER_TRANSACTION);
        this.ctx.graphDb
          .transaction(() => {
            for (const file of group) {
              this.ingestFile(file.absPath, summary, options);
              options.onProgress?.(++done, total, file.relPath);
            }
          })
          .immediate();
      }
      this.removeDeleted(absTarget, present, summary, options);
    } else if (stat.isFile()) {
      if (!isNotePath(absTarget))
        throw new UserError(`${absTarget} is not a note: HydraMem ingests .md, .markdown and .txt files.`, 2);
      this.ingestFile(absTarget, summary, options);
      options.onProgress?.(1, 1, path.basename(absTarget));
    } else {
      throw new UserError(`${absTarget} is neither a folder nor a file.`, 2);
    }
    summary.durationMs = performance.now() - started;
    this.ctx.recorder.flush();
    return summary;
  }

  /**
   * Ingests a text that has no file (the `remember` tool) into a scope: a user's memory, or the
   * shared notes without a user. Its id comes from its scope and content.
   */
  ingestText(input: { text: string; title?: string; scope: MemoryScope }, options: IngestOptions) {
    const summary = emptySummary(randomUUID());
    const started = performance.now();
    const { scope } = input;
    const key = `memory:${this.ctx.project}:${scope.userId ?? ''}:${scope.memoryId ?? ''}:${input.text}`;
    const id = documentId(key);
    const title = input.title?.trim() || `Memory ${id.slice(0, 8)}`;
    const text = input.title ? `# ${input.title.trim()}\n\n${input.text}` : input.text;
    const note: NoteInput = {
      id,
      path: `memory/${id}`,
      absPath: null,
      text,
      bytes: Buffer.byteLength(text),
      mtimeMs: null,
      source: 'remember',
      userId: scope.userId,
      memoryId: scope.memoryId,
      fallbackTitle: title,
    };
    this.applyNote(note, summary, options, null);
    summary.durationMs = performance.now() - started;
    this.ctx.recorder.flush();
    return { summary, docId: id };
  }

  /**
   * Every path the writer reads resolves inside KNOWLEDGE_DIR, links followed: a note given by name
   * (CLI, MCP) is held to the same rule as the folder scan, which does not follow links out.
   */
  private mustBeInsideKnowledgeDir(absTarget: string): void {
    const root = this.ctx.knowledgeDir;
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(root);
    } catch {
      throw new UserError(`the knowledge folder ${root} (KNOWLEDGE_DIR) does not exist: create it or set KNOWLEDGE_DIR.`, 2);
    }
    const real = fs.realpathSync(absTarget);
    if (isInside(realRoot, real)) return;
    const via = real === absTarget ? '' : ` (it leads to ${real})`;
    throw new UserError(
      `${absTarget}${via} is outside the knowledge folder ${root}: HydraMem reads notes only from inside KNOWLEDGE_DIR.`,
      2,
    );
  }

  private displayPath(absPath: string): string {
    const relative = path.relative(this.ctx.knowledgeDir, absPath);
    return relative.startsWith('..') || path.isAbsolute(relative) ? absPath : relativeTo(this.ctx.knowledgeDir, absPath);
  }

  private ingestFile(absPath: string, summary: IngestSummary, options: IngestOptions): void {
    const started = performance.now();
    const docId = documentId(absPath);
    const displayPath = this.displayPath(absPath);
    const stored = this.storedDoc.get(docId);
    const fail = (status: IngestStatus, reason: string, bytes: number | null): void =>
      this.record(summary, options, {
        path: displayPath,
        docId,
        status,
        change: 'none',
        reason,
        bytes,
        durationMs: performance.now() - started,
        counts: emptyCounts(),
      });

    // Fast path for rescans: same size and modification time as last time means unchanged.
    let signature = '';
    try {
      const stat = fs.statSync(absPath);
      signature = `${stat.mtimeMs}:${stat.size}`;
      if (stored && stored.mtime_ms === stat.mtimeMs && stored.bytes === stat.size) {
        this.recordUnchanged(summary, options, displayPath, docId, stat.size, started);
        return;
      }
      if (!options.recordUnchanged && this.rejected.get(absPath) === signature) {
        this.recordUnchanged(summary, options, displayPath, docId, stat.size, started);
        return;
      }
    } catch {
      // Read below reports it.
    }
    this.rejected.delete(absPath);
    const file = readNoteFile(absPath, this.ctx.maxFileBytes);
    if (isRejection(file)) {
      this.rejected.set(absPath, signature);
      fail(file.status, file.reason, null);
      return;
    }
    const note: NoteInput = {
      id: docId,
      path: displayPath,
      absPath,
      text: file.text,
      bytes: file.bytes,
      mtimeMs: file.mtimeMs,
      source: 'file',
      fallbackTitle: fallbackTitleFromPath(absPath),
    };
    if (!this.applyNote(note, summary, options, stored ?? null, started)) this.rejected.set(absPath, signature);
  }

  private applyNote(
    note: NoteInput,
    summary: IngestSummary,
    options: IngestOptions,
    stored: StoredDoc | null,
    started = performance.now(),
  ): boolean {
    const fail = (reason: string): boolean => {
      this.record(summary, options, {
        path: note.path,
        docId: note.id,
        status: 'failed',
        change: 'none',
        reason,
        bytes: note.bytes,
        durationMs: performance.now() - started,
        counts: emptyCounts(),
      });
      return false;
    };
    try {
      const prepared = prepareDocument(note, { maxTokens: this.ctx.chunkTokens, overlapTokens: this.ctx.chunkOverlapTokens });
      const storedNow = stored ?? this.storedDoc.get(note.id) ?? null;
      if (storedNow && storedNow.content_hash === prepared.contentHash) {
        if (storedNow.mtime_ms !== note.mtimeMs) {
          this.touchMtime.run(note.mtimeMs, note.id);
        }
        this.recordUnchanged(summary, options, note.path, note.id, note.bytes, started);
        return true;
      }
      if (prepared.chunks.length === 0) {
        this.record(summary, options, {
          path: note.path,
          docId: note.id,
          status: 'skipped',
          change: 'none',
          reason: 'no text besides front matter',
          bytes: note.bytes,
          durationMs: performance.now() - started,
          counts: emptyCounts(),
        });
        return false;
      }
      const counts = this.ctx.graph.applyDocument(prepared, isoTimestamp(this.ctx.clock()));
      this.record(summary, options, {
        path: note.path,
        docId: note.id,
        status: 'ok',
        change: storedNow ? 'changed' : 'new',
        reason: null,
        bytes: note.bytes,
        durationMs: performance.now() - started,
        counts,
      });
      return true;
    } catch (error) {
      return fail(
        error instanceof NoteContentError ? error.message : `could not ingest: ${(error as Error).message ?? String(error)}`,
      );
    }
  }

  private recordUnchanged(
    summary: IngestSummary,
    options: IngestOptions,
    displayPath: string,
    docId: string,
    bytes: number,
    started: number,
  ): void {
    if (!options.recordUnchanged) {
      summary.files += 1;
      summary.skipped += 1;
      summary.unchanged += 1;
      return;
    }
    this.record(summary, options, {
      path: displayPath,
      docId,
      status: 'skipped',
      change: 'unchanged',
      reason: 'unchanged',
      bytes,
      durationMs: performance.now() - started,
      counts: emptyCounts(),
    });
  }

  private removeDeleted(root: string, present: Set<string>, summary: IngestSummary, options: IngestOptions): void {
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    for (const doc of this.filesUnder.all(this.ctx.project)) {
      if (!doc.abs_path.startsWith(prefix) || present.has(doc.abs_path)) continue;
      const started = performance.now();
      const counts = this.ctx.graph.deleteDocument(doc.id, isoTimestamp(this.ctx.clock()));
      this.record(summary, options, {
        path: doc.path,
        docId: doc.id,
        status: 'ok',
        change: 'deleted',
        reason: 'file deleted',
        bytes: null,
        durationMs: performance.now() - started,
        counts,
      });
    }
  }

  private record(summary: IngestSummary, options: IngestOptions, given: FileRun): void {
    // A reason is one line, whatever a parser or the file system put in it, and bounded.
    const run = { ...given, reason: given.reason && given.reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_CHARS) };
    summary.files += 1;
    summary[run.status] += 1;
    if (run.change === 'unchanged') summary.unchanged += 1;
    if (run.change === 'deleted') summary.deleted += 1;
    if (run.status !== 'ok' && run.change !== 'unchanged')
      summary.problems.push({ path: run.path, status: run.status, change: run.change, reason: run.reason });
    addCounts(summary, run.counts);
    this.ctx.recorder.recordIngestRun({
      at: this.ctx.clock(),
      batchId: summary.batchId,
      path: run.path,
      docId: run.docId,
      status: run.status,
      change: run.change,
      reason: run.reason,
      ...run.counts,
      bytes: run.bytes,
      durationMs: run.durationMs,
      source: options.source,
      identity: options.identity,
    });
  }
}
