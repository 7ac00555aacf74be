import { timingSafeEqual, createHash } from 'node:crypto';
import { parseGroups } from './roles';

export interface ProxyIdentity {
  user: string;
  groups: string[];
  name: string | null;
  email: string | null;
}

export type ProxyRejection = 'untrusted-peer' | 'bad-secret' | 'no-user';

/** Headers as Node gives them: lower-case names, a string or (for repeats) an array. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * A header value Caddy forwards when the auth server returned none: the unreplaced placeholder
 * itself, e.g. "{http.reverse_proxy.header.Remote-User}". It is never a user.
 */
export function isUnreplacedPlaceholder(value: string): boolean {
  return /^\{[^{}]*\}$/.test(value.trim());
}

/** Exactly one value, or null: a header sent twice is ambiguous and refused. */
function single(headers: HeaderBag, name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value ?? null;
}

/** Constant-time comparison that also hides the length of the expected secret. */
export function secretsMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * The identity Authelia vouched for, or why there is none. Trust comes from the peer address and
 * the per-tenant secret Caddy adds; the identity headers alone prove nothing.
 */
export function proxyIdentity(
  headers: HeaderBag,
  peerTrusted: boolean,
  expectedSecret: string,
): { identity: ProxyIdentity } | { rejected: ProxyRejection } {
  if (!peerTrusted) return { rejected: 'untrusted-peer' };
  const secret = single(headers, 'x-hydramem-proxy-secret');
  if (secret === null || expectedSecret.length === 0 || !secretsMatch(secret, expectedSecret)) return { rejected: 'bad-secret' };
  const user = single(headers, 'remote-user')?.trim() ?? '';
  if (user.length === 0 || isUnreplacedPlaceholder(user)) return { rejected: 'no-user' };
  const groupsHeader = single(headers, 'remote-groups');
  const clean = (value: string | null): string | null => (value && !isUnreplacedPlaceholder(value) ? value.trim() : null);
  return {
    identity: {
      user,
      groups: groupsHeader && !isUnreplacedPlaceholder(groupsHeader) ? parseGroups(groupsHeader) : [],
      name: clean(single(headers, 'remote-name')),
      email: clean(single(headers, 'remote-email')),
    },
  };
}
