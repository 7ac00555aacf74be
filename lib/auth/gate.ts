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
  | { kind: 'forbidden'; user: string; reason: 'no-role' | 'admin-only' };

/** Paths that carry no tenant data: the build's static files, the icon and the health probes. */
const ALWAYS_PUBLIC = [/^\/_next\/static\//, /^\/icon\.svg$/, /^\/favicon\.ico$/, /^\/healthz$/, /^\/readyz$/];
/**
 * Pages and exports for the tenant's administrators only: API keys, the audit trail, a user's own
 * page (their attributes and preferences). Support gets 403 here, whatever a link shows.
 */
const ADMIN_ONLY = [/^\/keys(\/|$)/, /^\/audit(\/|$)/, /^\/users\/[^/]/, /^\/api\/export\/(audit|keys)(\/|$)/];

export function isAdminOnlyPath(pathname: string): boolean {
  return ADMIN_ONLY.some((pattern) => pattern.test(pathname));
}

/** With OIDC, the sign-in page and next-auth's own endpoints are reached before there is a session. */
const OIDC_PUBLIC = [/^\/signin$/, /^\/signout$/, /^\/api\/auth\//];

/** The sign-in pages and next-auth's endpoints: they exist in oidc mode only. */
export function isSignInPath(pathname: string): boolean {
  return OIDC_PUBLIC.some((pattern) => pattern.test(pathname));
}

export function isPublicPath(pathname: string, config: Pick<AuthConfig, 'mode'>): boolean {
  if (ALWAYS_PUBLIC.some((pattern) => pattern.test(pathname))) return true;
  return config.mode === 'oidc' && isSignInPath(pathname);
}

function withRole(config: AuthConfig, pathname: string, user: string, name: string | null, groups: string[]): GateDecision {
  const role = roleFor(groups, config.roleGroups);
  if (!role) return { kind: 'forbidden', user, reason: 'no-role' };
  if (role !== 'admin' && isAdminOnlyPath(pathname)) return { kind: 'forbidden', user, reason: 'admin-only' };
  return { kind: 'allow', viewer: { user, name, role, mode: config.mode } };
}

function firstHeader(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/** The probes anyone may call; a signed-in viewer gets the reasons behind the status too. */
const PROBES = ['/healthz', '/readyz'];

/** Who is asking, decided for every request before Next sees it; there is no fallback between modes. */
export async function decide(request: GateRequest, config: AuthConfig, now = Date.now()): Promise<GateDecision> {
  if (!isPublicPath(request.pathname, config)) return identify(request, config, now);
  if (!PROBES.includes(request.pathname)) return { kind: 'public' };
  const identified = await identify(request, config, now);
  return identified.kind === 'allow' ? identified : { kind: 'public' };
}

async function identify(request: GateRequest, config: AuthConfig, now: number): Promise<GateDecision> {
  if (config.mode === 'none') return { kind: 'allow', viewer: { user: 'local', name: null, role: 'admin', mode: 'none' } };
  if (config.mode === 'proxy') {
    const result = proxyIdentity(request.headers, peerIn(config.trustedProxies, request.peer), config.proxySecret);
    if ('rejected' in result) return { kind: 'unauthenticated', reason: result.rejected };
    const { user, name, groups } = result.identity;
    return withRole(config, request.pathname, user, name, groups);
  }
  const oidc = config.oidc;
  if (!oidc || !config.publicUrl) return { kind: 'unauthenticated', reason: 'oidc-not-configured' };
  const name = cookieNames(config.tenant, config.publicUrl.protocol === 'https:').sessionToken;
  const claims = await readSession(readCookie(firstHeader(request.headers, 'cookie'), name), oidc, now);
  if (!claims) return { kind: 'unauthenticated', reason: 'no-session' };
  return withRole(config, request.pathname, claims.login, claims.name, claims.groups);
}
