import { randomBytes } from 'node:crypto';
import type { Env } from '../../lib/config';
import { defaultRoleGroups, parseGroups } from '../../lib/auth/roles';
import { UserError } from '../../lib/engine/errors';
import { startDashboardChild } from '../dashboard-child';
import { freePort } from '../free-port';

/** Exit code when the dashboard cannot be reached or refuses the report's identity. */
export const UNREACHABLE_EXIT = 6;

/** A dashboard to photograph: where it is, what every request carries, and how to let it go. */
export interface ReportTarget {
  baseUrl: string;
  headers: Record<string, string>;
  cookies: Array<{ name: string; value: string }>;
  /** Whether report started this dashboard itself (for messages: there is no deployment to blame). */
  own: boolean;
  stop(): Promise<void>;
}

/** The identity a report is made as, from HYDRAMEM_REPORT_USER / HYDRAMEM_REPORT_GROUPS (default: the tenant's admin group). */
export function reportIdentityHeaders(env: Env, tenant: string, secret: string): Record<string, string> {
  const adminGroup = parseGroups(env.DASHBOARD_ADMIN_GROUPS)[0] ?? defaultRoleGroups(tenant).admin[0] ?? '';
  const groups = parseGroups(env.HYDRAMEM_REPORT_GROUPS);
  return {
    'X-HydraMem-Proxy-Secret': secret,
    'Remote-User': env.HYDRAMEM_REPORT_USER?.trim() || 'hydramem-report',
    'Remote-Groups': (groups.length > 0 ? groups : [adminGroup]).join(','),
    'Remote-Name': 'HydraMem report',
  };
}

/** Sign-in settings of the deployment that must not leak into the report's own dashboard. */
const DEPLOYMENT_AUTH_ENV = [
  'DASHBOARD_AUTH_MODE',
  'DASHBOARD_ALLOW_NO_AUTH',
  'DASHBOARD_PROXY_SECRET',
  'DASHBOARD_TRUSTED_PROXIES',
  'DASHBOARD_PUBLIC_URL',
  'DASHBOARD_LOGOUT_URL',
  'DASHBOARD_OIDC_ISSUER',
  'DASHBOARD_OIDC_CLIENT_ID',
  'DASHBOARD_OIDC_CLIENT_SECRET',
  'DASHBOARD_SESSION_SECRET',
];

/**
 * A dashboard of its own over HYDRAMEM_DATA_DIR on a free loopback port, in proxy mode with a
 * secret made for this run: nothing else on the machine can read through it, in any deployment.
 */
export async function ownDashboard(env: NodeJS.ProcessEnv, tenant: string): Promise<ReportTarget> {
  const secret = randomBytes(32).toString('hex');
  const childEnv: Record<string, string | undefined> = Object.fromEntries(DEPLOYMENT_AUTH_ENV.map((name) => [name, undefined]));
  Object.assign(childEnv, {
    DASHBOARD_AUTH_MODE: 'proxy',
    DASHBOARD_PROXY_SECRET: secret,
    DASHBOARD_TRUSTED_PROXIES: '127.0.0.1/32',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  const child = await startDashboardChild(childEnv, await freePort(), { quiet: true });
  return { baseUrl: child.url, headers: reportIdentityHeaders(env, tenant, secret), cookies: [], own: true, stop: child.stop };
}

/** "name=value; name2=value2" (a browser's Cookie header) as cookies. */
export function parseCookieHeader(text: string): Array<{ name: string; value: string }> {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const split = part.indexOf('=');
      if (split <= 0)
        throw new UserError('HYDRAMEM_REPORT_COOKIE must look like name=value (a session cookie of the dashboard).', 2);
      return { name: part.slice(0, split).trim(), value: part.slice(split + 1).trim() };
    });
}

/**
 * A dashboard already running at `url`, reached the way its deployment expects: in proxy mode with
 * DASHBOARD_PROXY_SECRET and the report identity (talk to its loopback port, not through Caddy,
 * which strips those headers), with OIDC a session cookie in HYDRAMEM_REPORT_COOKIE, without sign-in as is.
 */
export async function runningDashboard(url: string, env: NodeJS.ProcessEnv, tenant: string): Promise<ReportTarget> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new UserError(`--url must be an absolute http(s) address such as http://127.0.0.1:8765, not "${url}".`, 2);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new UserError(`--url must be an http(s) address, not "${url}".`, 2);
  await probe(base);
  const secret = env.DASHBOARD_PROXY_SECRET;
  return {
    baseUrl: base.href,
    headers: secret ? reportIdentityHeaders(env, tenant, secret) : {},
    cookies: env.HYDRAMEM_REPORT_COOKIE ? parseCookieHeader(env.HYDRAMEM_REPORT_COOKIE) : [],
    own: false,
    stop: async () => undefined,
  };
}

/** Any HTTP answer from /healthz means something listens; a network failure means nothing does. */
async function probe(base: URL): Promise<void> {
  const health = new URL('healthz', base.href.endsWith('/') ? base : `${base.href}/`);
  try {
    await fetch(health, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new UserError(
      `cannot reach the dashboard at ${base.href} (${reason}): check the address and that \`hydramem dashboard\` runs there, ` +
        'or leave out --url and `hydramem report` starts its own over HYDRAMEM_DATA_DIR.',
      UNREACHABLE_EXIT,
    );
  }
}
