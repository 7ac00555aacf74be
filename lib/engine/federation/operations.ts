import fs from 'node:fs';
import { ConfigError, type HydraConfig } from '../../config';
import { isoTimestamp } from '../../store/time';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import type { JsonValue } from './canonical-json';
import { checkPayload } from './check-payload';
import {
  decodeEnvelopeBytes,
  ENVELOPE_ALGO,
  ENVELOPE_FORMAT,
  ENVELOPE_VERSION,
  parseEnvelope,
  signEnvelope,
  verifyEnvelope,
  type JsonObject,
} from './envelope';
import { recordFederation, type FederationLogEntry } from './federation-log';
import { NO_COUNTS, type PayloadCounts } from './payload';
import { readPayload } from './read-payload';
import { FederationRefusal } from './refusals';
import { writePayload, type ImportCounts } from './write-payload';

/** Issuer names we sign with: they end up in document paths and logs, so keep them plain. */
const ISSUER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function federationSecret(config: Pick<HydraConfig, 'federationSecret'>): string {
  if (!config.federationSecret) {
    throw ConfigError.missing(
      'HYDRAMEM_FEDERATION_SECRET',
      'set it to the HMAC key shared by the HydraMem instances that exchange exports (the same value on each side)',
    );
  }
  return config.federationSecret;
}

export function checkIssuerName(issuer: string): void {
  if (!ISSUER_NAME.test(issuer)) {
    throw new UserError(`issuer ${JSON.stringify(issuer)} is invalid: use 1-64 letters, digits, ".", "_" or "-"`, 2);
  }
}

export function checkAcceptList(acceptIssuers: readonly string[]): void {
  if (acceptIssuers.length === 0 || acceptIssuers.some((name) => name.length === 0)) {
    throw new UserError('refusing to import without an accept list: name each trusted issuer with --accept-issuer NAME', 2);
  }
}

export interface ExportOutcome {
  project: string;
  issuer: string;
  createdAt: string;
  envelopeId: string;
  counts: PayloadCounts;
  /** The envelope file's text. */
  text: string;
}

/**
 * Signs the engine's project as an envelope, writes it to `file` when given, and records the export
 * (or why it failed) in federation_log and audit_log.
 */
export function exportGraph(engine: Engine, request: { issuer: string; actor: string; file?: string }): ExportOutcome {
  const secret = federationSecret(engine.config);
  checkIssuerName(request.issuer);
  const at = engine.clock();
  const log = logger(engine, 'export', request.actor, request.file ?? null, at);
  log.issuer = request.issuer;
  try {
    const { payload, counts } = readPayload(engine.graphDb, engine.project);
    log.counts = counts;
    const createdAt = isoTimestamp(at);
    const signed = signEnvelope(
      {
        format: ENVELOPE_FORMAT,
        version: ENVELOPE_VERSION,
        algo: ENVELOPE_ALGO,
        project: engine.project,
        issuer: request.issuer,
        created_at: createdAt,
        payload,
      },
      secret,
    );
    log.envelopeId = signed.envelopeId;
    if (request.file) writeFileAtomically(request.file, signed.text);
    log.ok({ created_at: createdAt, bytes: Buffer.byteLength(signed.text) });
    return {
      project: engine.project,
      issuer: request.issuer,
      createdAt,
      envelopeId: signed.envelopeId,
      counts,
      text: signed.text,
    };
  } catch (error) {
    log.refused(error);
    throw error;
  }
}

export interface ImportOutcome {
  project: string;
  issuer: string;
  sourceProject: string | null;
  createdAt: string;
  envelopeId: string;
  counts: PayloadCounts;
  written: ImportCounts;
}

/**
 * Verifies an envelope (from `text`, or read from `file`) and imports it into the engine's project.
 * Every outcome, imported or refused, is recorded in federation_log and audit_log.
 */
export function importEnvelope(
  engine: Engine,
  request: { acceptIssuers: readonly string[]; actor: string; file?: string; text?: string },
): ImportOutcome {
  const secret = federationSecret(engine.config);
  checkAcceptList(request.acceptIssuers);
  const at = engine.clock();
  const log = logger(engine, 'import', request.actor, request.file ?? null, at);
  try {
    const text = request.text ?? readEnvelopeFile(request.file ?? '');
    const envelope = parseEnvelope(text);
    log.issuer = typeof envelope.issuer === 'string' ? envelope.issuer.slice(0, 200) : null;
    log.counts = claimedCounts(envelope.payload);
    const sourceProject = typeof envelope.project === 'string' ? envelope.project : null;
    log.detail.source_project = sourceProject;
    const verified = verifyEnvelope(envelope, {
      secret,
      acceptIssuers: request.acceptIssuers,
      now: at,
      maxAgeHours: engine.config.federationMaxAgeHours,
    });
    log.envelopeId = verified.envelopeId;
    const imported = engine.graphDb
      .prepare<[string, string], { one: number }>('SELECT 1 AS one FROM federation_imports WHERE project = ? AND envelope_id = ?')
      .get(engine.project, verified.envelopeId);
    if (imported) {
      throw new FederationRefusal(
        'replay',
        `envelope ${verified.envelopeId} was already imported into project ${engine.project}`,
      );
    }
    const payload = checkPayload(verified.payload);
    const written = writePayload(engine.graphDb, payload, {
      project: engine.project,
      issuer: verified.issuer,
      envelopeId: verified.envelopeId,
      createdAt: verified.createdAt,
      now: isoTimestamp(engine.clock()),
    });
    // The imported chunks get their vectors now, so that the next open of the stores writes nothing.
    engine.dense?.vectors.backfill();
    engine.graphStats.markChanged();
    log.ok({ created_at: verified.createdAt, ...snakeCase(written) });
    return {
      project: engine.project,
      issuer: verified.issuer,
      sourceProject,
      createdAt: verified.createdAt,
      envelopeId: verified.envelopeId,
      counts: log.counts,
      written,
    };
  } catch (error) {
    log.refused(error);
    throw error;
  }
}

/** An import's outcome as JSON: what the MCP tool returns and `hydramem import --json` prints. */
export function importReport(outcome: ImportOutcome): Record<string, unknown> {
  return {
    project: outcome.project,
    issuer: outcome.issuer,
    source_project: outcome.sourceProject,
    created_at: outcome.createdAt,
    envelope_id: outcome.envelopeId,
    ...outcome.counts,
    written: snakeCase(outcome.written),
  };
}

/** An export's outcome as JSON, without the envelope text. */
export function exportReport(outcome: ExportOutcome): Record<string, unknown> {
  return {
    project: outcome.project,
    issuer: outcome.issuer,
    created_at: outcome.createdAt,
    envelope_id: outcome.envelopeId,
    ...outcome.counts,
  };
}

export function readEnvelopeFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new FederationRefusal('unreadable', `cannot read ${file}: ${describeFsError(error)}`);
  }
  return decodeEnvelopeBytes(bytes);
}

export function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    // 0600: an export holds the notes' text.
    fs.writeFileSync(temporary, text, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new FederationRefusal('unreadable', `cannot write ${file}: ${describeFsError(error)}`, 'export');
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return (error as Error).message;
}

/** What the envelope says it carries, for the log of a refusal too. */
function claimedCounts(payload: JsonValue | undefined): PayloadCounts {
  if (payload === null || payload === undefined || typeof payload !== 'object' || Array.isArray(payload)) return NO_COUNTS;
  const size = (key: string): number => {
    const value = (payload as JsonObject)[key];
    return Array.isArray(value) ? value.length : 0;
  };
  return { entities: size('entities'), relations: size('relations'), chunks: size('chunks') };
}

function snakeCase(counts: ImportCounts): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}

/** Collects what is known about an exchange as it proceeds, and writes its log rows once. */
function logger(engine: Engine, direction: 'export' | 'import', actor: string, file: string | null, at: Date) {
  const entry = {
    issuer: null as string | null,
    envelopeId: null as string | null,
    counts: NO_COUNTS,
    detail: {} as Record<string, unknown>,
    ok(extra: Record<string, unknown>) {
      write('ok', null, extra);
    },
    refused(error: unknown) {
      const code = error instanceof FederationRefusal ? error.code : 'failed';
      const why = error instanceof FederationRefusal ? error.detail : ((error as Error)?.message ?? String(error));
      write('refused', `${code}: ${why}`, { code });
    },
  };
  const write = (status: FederationLogEntry['status'], reason: string | null, extra: Record<string, unknown>): void =>
    recordFederation(engine.metricsDb, {
      at,
      project: engine.project,
      direction,
      actor,
      status,
      issuer: entry.issuer,
      envelopeId: entry.envelopeId,
      reason,
      counts: entry.counts,
      file,
      detail: { ...entry.detail, ...extra },
    });
  return entry;
}
