import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, JsonFloat, pythonFloatRepr, type JsonValue } from './canonical-json';
import { JsonSyntaxError, parseJson } from './parse-json';
import { FederationRefusal } from './refusals';

/**
 * The signed envelope of the Python HydraMem v1, field for field:
 * `{format, version, algo, project, issuer, created_at, payload, signature}`, where signature is the
 * lowercase hex HMAC-SHA256, keyed with the UTF-8 bytes of the shared secret, of the canonical JSON
 * of every other field.
 */
export const ENVELOPE_FORMAT = 'hydramem-export';
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_ALGO = 'hmac-sha256';

/** How far ahead of this machine's clock an envelope may claim to be made (clocks drift a little). */
export const FUTURE_SKEW_MS = 5 * 60_000;

export type JsonObject = { [key: string]: JsonValue };

export interface UnsignedEnvelope {
  format: string;
  version: number;
  algo: string;
  project: string;
  issuer: string;
  created_at: string;
  payload: JsonObject;
}

export function signatureOf(unsigned: JsonObject, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(canonicalJson(unsigned), 'utf8').digest('hex');
}

/** The replay guard's key: the same envelope always has the same id, another envelope never does. */
export function envelopeIdOf(signature: string): string {
  return createHash('sha256').update(signature, 'utf8').digest('hex');
}

/** Signs an envelope and returns the file's text (canonical JSON, so ASCII only, plus a newline). */
export function signEnvelope(fields: UnsignedEnvelope, secret: string): { text: string; signature: string; envelopeId: string } {
  const unsigned = { ...fields } as unknown as JsonObject;
  const signature = signatureOf(unsigned, secret);
  return { text: `${canonicalJson({ ...unsigned, signature })}\n`, signature, envelopeId: envelopeIdOf(signature) };
}

export interface VerifyOptions {
  secret: string;
  acceptIssuers: readonly string[];
  now: Date;
  maxAgeHours: number;
}

export interface VerifiedEnvelope {
  issuer: string;
  createdAt: string;
  envelopeId: string;
  payload: JsonValue;
}

/** Decodes a file's bytes as UTF-8, refusing invalid sequences rather than replacing them. */
export function decodeEnvelopeBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new FederationRefusal('malformed-json', 'the file is not valid UTF-8 text');
  }
}

/** Checks 1 and 2: the text is JSON, and a JSON object with the export format. */
export function parseEnvelope(text: string): JsonObject {
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new FederationRefusal('malformed-json', `not valid JSON: ${error.message}`);
    throw error;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonFloat) {
    throw new FederationRefusal(
      'wrong-format',
      `not a HydraMem export: the file holds ${describe(parsed)}, not an envelope object`,
    );
  }
  const envelope = parsed as JsonObject;
  if (envelope.format !== ENVELOPE_FORMAT) {
    throw new FederationRefusal('wrong-format', `format is ${describe(envelope.format)}, expected "${ENVELOPE_FORMAT}"`);
  }
  return envelope;
}

/**
 * The remaining checks, in order: version, issuer, algorithm, signature (compared in constant time),
 * age. The replay check needs the graph and is the importer's.
 */
export function verifyEnvelope(envelope: JsonObject, options: VerifyOptions): VerifiedEnvelope {
  if (envelope.version !== ENVELOPE_VERSION) {
    throw new FederationRefusal('wrong-version', `version is ${describe(envelope.version)}; this HydraMem reads version 1`);
  }
  const issuer = envelope.issuer;
  if (typeof issuer !== 'string' || !options.acceptIssuers.includes(issuer)) {
    throw new FederationRefusal(
      'unknown-issuer',
      `issuer ${describe(issuer)} is not accepted (accepted: ${options.acceptIssuers.map((name) => JSON.stringify(name)).join(', ')})`,
    );
  }
  if (envelope.algo !== ENVELOPE_ALGO) {
    throw new FederationRefusal(
      'unsupported-algorithm',
      `algo is ${describe(envelope.algo)}; only "${ENVELOPE_ALGO}" is supported`,
    );
  }
  const signature = envelope.signature;
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new FederationRefusal('bad-signature', 'the signature is missing or is not 64 lowercase hex digits');
  }
  const unsigned: JsonObject = { ...envelope };
  delete unsigned.signature;
  const expected = Buffer.from(signatureOf(unsigned, options.secret), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new FederationRefusal(
      'bad-signature',
      'the signature does not match: the envelope was changed after signing or signed with another HYDRAMEM_FEDERATION_SECRET',
    );
  }
  const createdAt = checkAge(envelope.created_at, options);
  return { issuer, createdAt, envelopeId: envelopeIdOf(signature), payload: envelope.payload ?? null };
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function checkAge(value: JsonValue | undefined, options: VerifyOptions): string {
  const at = typeof value === 'string' && ISO_WITH_OFFSET.test(value) ? Date.parse(value.replace(/(\.\d{3})\d+/, '$1')) : NaN;
  if (typeof value !== 'string' || Number.isNaN(at)) {
    throw new FederationRefusal('expired', `created_at ${describe(value)} is not an ISO-8601 time with a UTC offset`);
  }
  const ageMs = options.now.getTime() - at;
  const hours = (ms: number): string => (ms / 3_600_000).toFixed(1);
  if (ageMs > options.maxAgeHours * 3_600_000) {
    throw new FederationRefusal(
      'expired',
      `created at ${value}, ${hours(ageMs)} hours ago: older than the maximum age of ${options.maxAgeHours} hours ` +
        '(HYDRAMEM_FEDERATION_MAX_AGE_HOURS); ask the issuer for a fresh export',
    );
  }
  if (-ageMs > FUTURE_SKEW_MS) {
    throw new FederationRefusal(
      'expired',
      `created at ${value}, ${hours(-ageMs)} hours in the future (more than ${FUTURE_SKEW_MS / 60_000} minutes ahead of this clock)`,
    );
  }
  return value;
}

/** A value as a message shows it: short, and never a whole payload. */
function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value instanceof JsonFloat) return pythonFloatRepr(value.value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}..."` : shown;
}
