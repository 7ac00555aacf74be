import { randomBytes } from 'node:crypto';
import type { AuthConfig } from './auth-config';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy for one response. Scripts run only from our origin or with this
 * response's nonce (Next adds it to its own inline scripts when it finds it in the request's CSP
 * header); inline style attributes stay allowed because the charts position elements with them.
 */
export function contentSecurityPolicy(config: Pick<AuthConfig, 'frameAncestors' | 'oidc'>, nonce: string): string {
  const formTargets = ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])];
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${formTargets.join(' ')}`,
    `frame-ancestors ${config.frameAncestors.length > 0 ? config.frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** Headers every response carries, whoever asked and whatever the answer. */
export function securityHeaders(config: Pick<AuthConfig, 'frameAncestors' | 'oidc'>, nonce: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(config, nonce),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    ...(config.frameAncestors.length === 0 ? { 'x-frame-options': 'DENY' } : {}),
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}
