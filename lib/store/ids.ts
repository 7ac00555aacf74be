import { createHash } from 'node:crypto';
import { scopeKey, type MemoryScope } from './scope';

/** Ids follow the Python HydraMem so graphs and exports line up across both implementations. */

/** Lowercase, letters and digits only (Python's str.isalnum keeps Unicode letters too). */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Entity id: first 12 hex chars of md5("{project}:{normalised name}"). */
export function entityId(project: string, name: string): string {
  return createHash('md5')
    .update(`${project}:${normaliseName(name)}`, 'utf8')
    .digest('hex')
    .slice(0, 12);
}

/**
 * The id of an entity in a scope: the Python id for the shared graph; for a user's private memory
 * the same shape over the project, the user, the memory and the name, so that the same name in two
 * scopes is two entities and nothing a private memory adds touches the shared one.
 */
export function scopedEntityId(project: string, scope: MemoryScope, name: string): string {
  if (scope.userId === null) return entityId(project, name);
  return createHash('md5')
    .update(`${project}:${scopeKey(scope)}:${normaliseName(name)}`, 'utf8')
    .digest('hex')
    .slice(0, 12);
}

/** Document id: first 16 hex chars of sha256(absolute path). */
export function documentId(absolutePath: string): string {
  return createHash('sha256').update(absolutePath, 'utf8').digest('hex').slice(0, 16);
}

/** Chunk id: md5("{doc_id}:{idx}"). */
export function chunkId(docId: string, index: number): string {
  return createHash('md5').update(`${docId}:${index}`, 'utf8').digest('hex');
}

export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
