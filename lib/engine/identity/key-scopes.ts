/**
 * What an API key may do. Restrictive: `memory:read` reads (search, list, neighbours, preferences,
 * stats), `memory:add` writes memories (remember, ingest, preferences, users), `memory:*` is
 * everything, the Night Gardener and federation included.
 */
export const KEY_SCOPES = ['memory:read', 'memory:add', 'memory:*'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

export const KEY_ENVIRONMENTS = ['live', 'test', 'dev'] as const;
export type KeyEnvironment = (typeof KEY_ENVIRONMENTS)[number];

export function hasScope(granted: readonly KeyScope[], needed: KeyScope): boolean {
  return granted.includes('memory:*') || granted.includes(needed);
}

/** Parses "memory:read,memory:add": every name must be a known scope. */
export function parseScopes(text: string): KeyScope[] | { unknown: string[] } {
  const names = [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((name) => !KEY_SCOPES.some((scope) => scope === name));
  if (unknown.length > 0 || names.length === 0) return { unknown };
  return names as KeyScope[];
}
