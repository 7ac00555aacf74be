import type { Role } from './roles';

/**
 * What support staff see instead of content: query text, document and chunk text (entity names
 * and aliases are pieces of it), and user, memory and session identifiers. Counts, latencies,
 * statuses, errors, tool names, entity types and file paths stay. Read models mark the content
 * (lib/read/sensitive.ts); the request path reveals it with `revealerFor` in the read worker,
 * before the data reaches a page, so it never reaches the browser in HTML, the RSC payload or JSON.
 */
export const REDACTED = '[redacted]';

export function seesContent(role: Role): boolean {
  return role === 'admin';
}

/** What a sensitive value becomes for a role: itself for admin, the redaction for support. */
export function revealerFor(role: Role): (value: string) => string {
  return seesContent(role) ? (value) => value : () => REDACTED;
}
