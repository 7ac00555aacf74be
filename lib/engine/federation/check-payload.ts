import { JsonFloat, type JsonValue } from './canonical-json';
import type { JsonObject } from './envelope';
import { FederationRefusal } from './refusals';

/** A payload entity as the import uses it; `id` is the exporter's id, remapped on import. */
export interface IncomingEntity {
  id: string;
  name: string;
  type: string;
}

export interface IncomingRelation {
  from: string;
  to: string;
  type: string;
  confidence: number;
  verified: boolean;
  sessionId: string | null;
  originTool: string;
  createdAt: string | null;
  /** Qualifiers without `weight`, which becomes the column of that name. */
  qualifiers: Record<string, unknown>;
  weight: number;
}

export interface IncomingChunk {
  id: string;
  text: string;
  source: string;
  index: number;
  docId: string;
}

export interface IncomingPayload {
  entities: IncomingEntity[];
  relations: IncomingRelation[];
  chunks: IncomingChunk[];
}

/**
 * Checks a verified envelope's payload and brings it to one shape. Required: entity id and name;
 * relation from, to and relation_type; chunk id, text, chunk_idx and doc_id. The other fields take
 * the defaults the Python HydraMem uses. The first problem refuses the whole import.
 */
export function checkPayload(payload: JsonValue): IncomingPayload {
  const root = asObject(payload, 'payload');
  return {
    entities: list(root, 'entities').map((item, index) => entity(asObject(item, `payload.entities[${index}]`), index)),
    relations: list(root, 'relations').map((item, index) => relation(asObject(item, `payload.relations[${index}]`), index)),
    chunks: list(root, 'chunks').map((item, index) => chunk(asObject(item, `payload.chunks[${index}]`), index)),
  };
}

function refuse(detail: string): never {
  throw new FederationRefusal('invalid-payload', detail);
}

function asObject(value: JsonValue | undefined, where: string): JsonObject {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonFloat) {
    return refuse(`${where} must be an object`);
  }
  return value as JsonObject;
}

function list(root: JsonObject, key: string): JsonValue[] {
  const value = root[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return refuse(`payload.${key} must be an array`);
  return value;
}

function text(record: JsonObject, key: string, where: string, options: { required: boolean; fallback?: string }): string {
  const value = record[key];
  if (typeof value === 'string' && (value.length > 0 || !options.required)) return value;
  if ((value === undefined || value === null) && !options.required) return options.fallback ?? '';
  return refuse(`${where}.${key} must be a ${options.required ? 'non-empty ' : ''}string`);
}

function nullableText(record: JsonObject, key: string, where: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return refuse(`${where}.${key} must be a string or null`);
  return value;
}

function numberOf(value: JsonValue | undefined): number | null {
  if (value instanceof JsonFloat) return value.value;
  if (typeof value === 'number') return value;
  return null;
}

function entity(record: JsonObject, index: number): IncomingEntity {
  const where = `payload.entities[${index}]`;
  return {
    id: text(record, 'id', where, { required: true }),
    name: text(record, 'name', where, { required: true }),
    type: text(record, 'type', where, { required: false, fallback: 'concept' }) || 'concept',
  };
}

function relation(record: JsonObject, index: number): IncomingRelation {
  const where = `payload.relations[${index}]`;
  const confidence = record.confidence === undefined || record.confidence === null ? 1 : numberOf(record.confidence);
  if (confidence === null || !Number.isFinite(confidence)) refuse(`${where}.confidence must be a number`);
  const verified = record.verified ?? false;
  if (typeof verified !== 'boolean' && verified !== 0 && verified !== 1) refuse(`${where}.verified must be true or false`);
  const { weight, rest } = splitWeight(qualifiersOf(record.qualifiers, `${where}.qualifiers`));
  return {
    from: text(record, 'from', where, { required: true }),
    to: text(record, 'to', where, { required: true }),
    type: text(record, 'relation_type', where, { required: true }),
    confidence,
    verified: verified === true || verified === 1,
    sessionId: nullableText(record, 'session_id', where),
    originTool: text(record, 'origin_tool', where, { required: false, fallback: 'unknown' }) || 'unknown',
    createdAt: nullableText(record, 'created_at', where),
    qualifiers: rest,
    weight,
  };
}

function chunk(record: JsonObject, index: number): IncomingChunk {
  const where = `payload.chunks[${index}]`;
  const chunkIndex = record.chunk_idx;
  if (typeof chunkIndex !== 'number' || chunkIndex < 0) refuse(`${where}.chunk_idx must be a whole number of at least 0`);
  const body = record.text;
  if (typeof body !== 'string') refuse(`${where}.text must be a string`);
  return {
    id: text(record, 'id', where, { required: true }),
    text: body,
    source: text(record, 'source', where, { required: false }),
    index: chunkIndex,
    docId: text(record, 'doc_id', where, { required: true }),
  };
}

/** Qualifiers arrive as a JSON text (Python's) or an object; either way they become an object. */
function qualifiersOf(value: JsonValue | undefined, where: string): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return refuse(`${where} is not valid JSON`);
    }
  } else {
    parsed = toPlain(value);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(`${where} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function splitWeight(qualifiers: Record<string, unknown>): { weight: number; rest: Record<string, unknown> } {
  const { weight, ...rest } = qualifiers;
  return { weight: typeof weight === 'number' && Number.isFinite(weight) && weight > 0 ? weight : 1, rest };
}

/** A parsed JSON value as plain JavaScript data (floats as numbers, big integers as decimal text). */
function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonFloat) return value.value;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item)]));
  }
  return value;
}
