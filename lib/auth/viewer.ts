import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthMode } from './auth-config';
import type { Role } from './roles';

/** Who is looking at the dashboard, as decided by the server in front of Next for this request. */
export interface Viewer {
  user: string;
  name: string | null;
  role: Role;
  mode: AuthMode;
}

/** The request header that carries the decided viewer from the HTTP server into Next's renderers. */
export const VIEWER_HEADER = 'x-hydramem-viewer';
/** The CSP nonce for this response, for the inline scripts our layout writes. */
export const NONCE_HEADER = 'x-hydramem-nonce';
/**
 * The per-process key that signs the viewer header. Set by `hydramem dashboard` before Next loads:
 * a build served any other way (e.g. `next start`) has no key and therefore shows nothing.
 */
export const VIEWER_KEY_ENV = 'HYDRAMEM_VIEWER_KEY';

export function newViewerKey(): string {
  return randomBytes(32).toString('hex');
}

function mac(payload: string, key: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

export function signViewer(viewer: Viewer, key: string): string {
  const payload = Buffer.from(JSON.stringify(viewer), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

function isViewer(value: unknown): value is Viewer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.user === 'string' &&
    (v.name === null || typeof v.name === 'string') &&
    (v.role === 'admin' || v.role === 'support') &&
    (v.mode === 'proxy' || v.mode === 'oidc' || v.mode === 'none')
  );
}

/** The viewer the server signed, or null for a missing, forged or malformed header. */
export function verifyViewer(header: string | null | undefined, key: string | undefined): Viewer | null {
  if (!header || !key) return null;
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = mac(payload, key);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isViewer(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
