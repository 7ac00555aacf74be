/**
 * Whose memory a row belongs to. Shared rows (the notes of KNOWLEDGE_DIR, federation imports) have
 * no user; a user's private rows carry the user and one of their memories ('default' unless named).
 * Every graph row (document, chunk, entity, alias, mention, relation) carries the scope of the
 * document that made it, so a private memory's entities and relations stay in that scope.
 */
export interface MemoryScope {
  userId: string | null;
  memoryId: string | null;
}

export const SHARED: MemoryScope = { userId: null, memoryId: null };
export const DEFAULT_MEMORY = 'default';

/** The scope a write on behalf of `userId` goes to (shared without a user). */
export function writeScope(userId: string | null | undefined, memoryId: string | null | undefined): MemoryScope {
  if (!userId) return SHARED;
  return { userId, memoryId: memoryId || DEFAULT_MEMORY };
}

/**
 * What a reader sees: the shared rows, plus, for a user, their private rows (all their memories,
 * or one when `memoryId` is given). A reader without a user sees the shared rows only.
 */
export interface ReadScopeFilter {
  userId: string | null;
  memoryId: string | null;
}

/**
 * The SQL condition that a row of table alias `alias` is visible to the reader in the named
 * parameters @scopeUser and @scopeMemory.
 */
export function visibleTo(alias: string): string {
  return `(${alias}.user_id IS NULL OR (${alias}.user_id = @scopeUser AND (@scopeMemory IS NULL OR ${alias}.memory_id = @scopeMemory)))`;
}

/** The named parameters `visibleTo` needs. */
export function scopeParams(scope: ReadScopeFilter): { scopeUser: string | null; scopeMemory: string | null } {
  return { scopeUser: scope.userId, scopeMemory: scope.userId ? scope.memoryId : null };
}

/** Whether a row in `row` scope is visible to the reader (the same rule in JavaScript). */
export function isVisible(row: MemoryScope, scope: ReadScopeFilter): boolean {
  if (row.userId === null) return true;
  return row.userId === scope.userId && (scope.memoryId === null || row.memoryId === scope.memoryId);
}

/** A short, stable name of a write scope, for ids of scoped rows ('' for shared). */
export function scopeKey(scope: MemoryScope): string {
  return scope.userId === null ? '' : `${scope.userId}\u0000${scope.memoryId ?? DEFAULT_MEMORY}`;
}
