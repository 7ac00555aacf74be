import { decode } from 'next-auth/jwt';
import type { OidcConfig } from './auth-config';

/** What the dashboard keeps in its (encrypted) session cookie after an OIDC sign-in. */
export interface SessionClaims {
  login: string;
  name: string | null;
  groups: string[];
  /** When the user signed in (ms since epoch): a session ends sessionHours later, however active. */
  signedInAt: number;
}

/**
 * Cookie names carry the tenant: cookies are not isolated by port, so two tenants' dashboards on
 * one host would otherwise overwrite each other's sessions.
 */
export function cookieNames(tenant: string, secure: boolean) {
  const prefix = secure ? '__Secure-' : '';
  const base = `hydramem-${tenant}`;
  return {
    sessionToken: `${prefix}${base}.session-token`,
    callbackUrl: `${prefix}${base}.callback-url`,
    csrfToken: `${secure ? '__Host-' : ''}${base}.csrf-token`,
    pkceCodeVerifier: `${prefix}${base}.pkce.code_verifier`,
    state: `${prefix}${base}.state`,
    nonce: `${prefix}${base}.nonce`,
  };
}

/** One cookie's value from a Cookie header, joining next-auth's chunks (name.0, name.1, ...) when split. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0) jar.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  const whole = jar.get(name);
  if (whole !== undefined) return whole;
  const chunks: string[] = [];
  for (let i = 0; jar.has(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`) ?? '');
  return chunks.length > 0 ? chunks.join('') : null;
}

function isClaims(value: Record<string, unknown>): boolean {
  return (
    typeof value.login === 'string' &&
    value.login.length > 0 &&
    Array.isArray(value.groups) &&
    value.groups.every((group) => typeof group === 'string') &&
    typeof value.signedInAt === 'number'
  );
}

/**
 * The claims of a valid session cookie, or null for a missing, tampered, expired or too old one.
 * Decryption (A256GCM, key derived from the session secret) fails for any changed byte.
 */
export async function readSession(token: string | null, oidc: OidcConfig, now = Date.now()): Promise<SessionClaims | null> {
  if (!token) return null;
  let payload: Record<string, unknown> | null;
  try {
    payload = (await decode({ token, secret: oidc.sessionSecret })) as Record<string, unknown> | null;
  } catch {
    return null;
  }
  if (!payload || !isClaims(payload)) return null;
  const signedInAt = payload.signedInAt as number;
  if (signedInAt > now + 60_000 || now - signedInAt > oidc.sessionHours * 3_600_000) return null;
  return {
    login: payload.login as string,
    name: typeof payload.name === 'string' ? payload.name : null,
    groups: payload.groups as string[],
    signedInAt,
  };
}
