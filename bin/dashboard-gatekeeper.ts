import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessLogLine, type AccessLogEntry } from '../lib/auth/access-log';
import type { AuthConfig } from '../lib/auth/auth-config';
import { decide, isSignInPath, type GateDecision } from '../lib/auth/gate';
import {
  adminOnly,
  badRequest,
  forbidden,
  methodNotAllowed,
  notFound,
  unauthenticated,
  wantsHtml,
  type Refusal,
} from '../lib/auth/refusal';
import { allowedMethods, parseRequestTarget } from '../lib/auth/request-target';
import { newNonce, securityHeaders } from '../lib/auth/security-headers';
import { NONCE_HEADER, signViewer, VIEWER_HEADER } from '../lib/auth/viewer';

/** Request headers that carry identity or our internal decisions: never passed on as the client sent them. */
const IDENTITY_HEADERS = ['remote-user', 'remote-groups', 'remote-name', 'remote-email', 'x-hydramem-proxy-secret'];

function stripIdentity(req: IncomingMessage): void {
  const kept: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!IDENTITY_HEADERS.includes(name) && !name.startsWith('x-hydramem-')) kept[name] = value;
  }
  req.headers = kept;
}

function refuse(res: ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
  res.writeHead(refusal.status, { 'content-type': refusal.contentType, 'cache-control': 'no-store', ...extra });
  res.end(refusal.body);
}

/**
 * Decides every request before Next sees it: whether its target and method make sense, who is
 * asking (by the auth mode), whether they may, and passes the decision on as a signed header. Also
 * sets the security headers and writes the access log line. Returns true when Next should handle it.
 */
export function createGatekeeper(config: AuthConfig, viewerKey: string) {
  const signOutUrl = config.mode === 'oidc' ? '/signout' : config.logoutUrl;
  return async function gate(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const target = parseRequestTarget(req.url);
    const nonce = newNonce();
    const headers = securityHeaders(config, nonce);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const html = wantsHtml(req.headers.accept, req.headers.rsc === '1');
    const logged: Pick<AccessLogEntry, 'user' | 'role' | 'refused'> = { user: null, role: null };
    res.once('finish', () => {
      process.stdout.write(
        accessLogLine({
          time: new Date().toISOString(),
          method,
          path: target.pathname,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ...logged,
        }),
      );
    });

    // Before anyone is asked who they are: a bad target or method costs nothing and reveals nothing.
    if (!target.ok) {
      logged.refused = 'bad-request';
      refuse(res, badRequest(html, target.reason, target.status));
      return false;
    }
    const allow = allowedMethods(target.pathname);
    if (!allow.includes(method)) {
      logged.refused = 'method';
      req.resume();
      if (method === 'OPTIONS') {
        res.writeHead(204, { allow: allow.join(', '), 'cache-control': 'no-store' });
        res.end();
      } else refuse(res, methodNotAllowed(html, method, allow), { allow: allow.join(', ') });
      return false;
    }

    if (config.mode !== 'oidc' && isSignInPath(target.pathname)) {
      logged.refused = 'not-found';
      refuse(
        res,
        notFound(html, `there is no sign-in page here: this dashboard signs in with DASHBOARD_AUTH_MODE=${config.mode}`),
      );
      return false;
    }

    let decision: GateDecision;
    try {
      decision = await decide(
        { pathname: target.pathname, headers: req.headersDistinct, peer: req.socket.remoteAddress },
        config,
      );
    } catch {
      decision = { kind: 'unauthenticated', reason: 'error' };
    }
    const viewer = decision.kind === 'allow' ? decision.viewer : null;
    logged.user = viewer?.user ?? (decision.kind === 'forbidden' ? decision.user : null);
    logged.role = viewer?.role ?? null;
    if (decision.kind === 'unauthenticated' || decision.kind === 'forbidden') logged.refused = decision.reason;

    stripIdentity(req);
    if (decision.kind === 'unauthenticated') {
      if (config.mode === 'oidc' && html && config.publicUrl && (method === 'GET' || method === 'HEAD')) {
        const signIn = new URL('/signin', config.publicUrl);
        signIn.searchParams.set('callbackUrl', target.pathAndSearch);
        res.writeHead(302, { location: signIn.href, 'cache-control': 'no-store' });
        res.end();
      } else refuse(res, unauthenticated(html));
      return false;
    }
    if (decision.kind === 'forbidden') {
      refuse(
        res,
        decision.reason === 'admin-only'
          ? adminOnly(html, decision.user, config.roleGroups.admin)
          : forbidden(html, signOutUrl, decision.user),
      );
      return false;
    }
    // Next adds the nonce from the request's CSP header to its own inline scripts.
    req.headers['content-security-policy'] = headers['content-security-policy'];
    req.headers[NONCE_HEADER] = nonce;
    if (viewer) req.headers[VIEWER_HEADER] = signViewer(viewer, viewerKey);
    return true;
  };
}
