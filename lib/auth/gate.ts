import { peerIn, type AuthConfig } from './auth-config';
import { cookieNames, readCookie, readSession } from './oidc-session';
import { proxyIdentity, type HeaderBag } from './proxy-identity';
import { roleFor } from './roles';
import type { Viewer } from './viewer';

export interface GateRequest {
  pathname: string;
  headers: HeaderBag;
  peer: string | undefined;
}

export type GateDecision =
  | { kind: 'public' }
  | { kind: 'allow'; viewer: Viewer }
  | { kind: 'unauthenticated'; reason: string }
  | { kind: 'forbidden'; user: string };

/** Paths that carry no tenant data: the build's static files, the icon and the health probes. */
const ALWAYS_PUBLIC = [/^\/_next\/static\//, /^\/icon\.svg$/, /^\/favicon\.ico$/, /^\/healthz$/, /^\/readyz$/];
/** With OIDC, the sign-in page and next-auth's own endpoints are reached before there is a session. */
const OIDC_PUBLIC = [/^\/signin$/, /^\/signout$/, /^\/api\/auth\//];

export function isPublicPath(pathname: string, config: Pick<AuthConfig, 'mode'>): boolean {
  if (ALWAYS_PUBLIC.some((pattern) => pattern.test(pathname))) return true;
  return config.mode === 'oidc' && OIDC_PUBLIC.some((pattern) => pattern.test(pathname));
}

function withRole(config: AuthConfig, user: string, name: string | null, groups: string[]): GateDecision {
  const role = roleFor(groups, config.roleGroups);
  if (!role) return { kind: 'forbidden', user };
  return { kind: 'allow', viewer: { user, name, role, mode: config.mode } };
}

function firstHeader(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/** Who is asking, decided for every request before Next sees it; there is no fallback between modes. */
export async function decide(request: GateRequest, config: AuthConfig, now = Date.now()): Promise<GateDecision> {
  if (isPublicPath(request.pathname, config)) return { kind: 'public' };
  if (config.mode === 'none') return { kind: 'allow', viewer: { user: 'local', name: null, role: 'admin', mode: 'none' } };
  if (config.mode === 'proxy') {
    const result = proxyIdentity(request.headers, peerIn(config.trustedProxies, request.peer), config.proxySecret);
    if ('rejected' in result) return { kind: 'unauthenticated', reason: result.rejected };
    const { user, name, groups } = result.identity;
    return withRole(config, user, name, groups);
  }
  const oidc = config.oidc;
  if (!oidc || !config.publicUrl) return { kind: 'unauthenticated', reason: 'oidc-not-configured' };
  const name = cookieNames(config.tenant, config.publicUrl.protocol === 'https:').sessionToken;
  const claims = await readSession(readCookie(firstHeader(request.headers, 'cookie'), name), oidc, now);
  if (!claims) return { kind: 'unauthenticated', reason: 'no-session' };
  return withRole(config, claims.login, claims.name, claims.groups);
}
