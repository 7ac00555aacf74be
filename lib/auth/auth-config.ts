import { BlockList, isIP } from 'node:net';
import { ConfigError, raw, readEnum, readInt, type Env } from '../config';
import { defaultRoleGroups, parseGroups, type RoleGroups } from './roles';

export type AuthMode = 'proxy' | 'oidc' | 'none';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | undefined;
  /** The provider's name on the sign-in button. */
  providerName: string;
  sessionSecret: string;
  sessionHours: number;
}

/** How the dashboard decides who is asking. Read once at start; a bad value stops the process. */
export interface AuthConfig {
  mode: AuthMode;
  tenant: string;
  roleGroups: RoleGroups;
  /** Peers allowed to send identity headers (proxy mode). */
  trustedProxies: BlockList;
  trustedProxiesText: string;
  proxySecret: string;
  /** Where "Sign out" leads: the proxy's (or provider's) logout page. */
  logoutUrl: string | null;
  /** The dashboard's public origin and base path; all absolute URLs are built from it, never from Host. */
  publicUrl: URL | null;
  /** CSP frame-ancestors sources; empty means the dashboard may not be framed. */
  frameAncestors: string[];
  oidc: OidcConfig | null;
}

const MODE_HELP =
  'choose proxy (behind Caddy + Authelia), oidc (sign-in with an OpenID Connect provider) or none ' +
  '(local use only: also needs DASHBOARD_ALLOW_NO_AUTH=1 and a loopback --host); see deploy/README.md';

const MIN_SECRET_LENGTH = 32;

export const LOOPBACK_CIDRS = '127.0.0.0/8,::1/128';

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return peerIn(list, bare);
}

/** Whether an address (as a socket reports it, possibly IPv4-mapped IPv6) is in the list. */
export function peerIn(list: BlockList, address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const plain = mapped?.[1] ?? address;
  const family = isIP(plain);
  if (family === 0) return false;
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

export function parseCidrList(name: string, value: string): BlockList {
  const list = new BlockList();
  for (const item of value.split(',').map((part) => part.trim())) {
    const [address = '', prefixText] = item.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (family === 0 || !/^\d*$/.test(prefixText ?? '') || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new ConfigError(name, value, 'a comma-separated list of IP addresses or CIDR ranges, e.g. 127.0.0.1/32,::1/128');
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

function readSecret(env: Env, name: string, purpose: string): string {
  const value = raw(env, name);
  if (value === undefined)
    throw ConfigError.missing(
      name,
      `set it to a random string of at least ${MIN_SECRET_LENGTH} characters (${purpose}), e.g. from \`openssl rand -hex 32\``,
    );
  if (value.length < MIN_SECRET_LENGTH) throw new ConfigError(name, '(hidden)', `at least ${MIN_SECRET_LENGTH} characters`);
  return value;
}

function readUrl(env: Env, name: string): URL | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, value, 'an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(name, value, 'an absolute http(s) URL');
  return url;
}

function readGroups(env: Env, name: string, fallback: readonly string[]): string[] {
  const value = raw(env, name);
  if (value === undefined) return [...fallback];
  const groups = parseGroups(value);
  if (groups.length === 0 || groups.some((group) => /[\s{}]/.test(group) || group.length > 128)) {
    throw new ConfigError(name, value, 'a comma-separated list of group names without spaces or braces');
  }
  return groups;
}

function readFrameAncestors(env: Env): string[] {
  const value = raw(env, 'DASHBOARD_FRAME_ANCESTORS');
  if (value === undefined || value === "'none'") return [];
  const sources = value.split(/[\s,]+/).filter(Boolean);
  for (const source of sources) {
    if (source === "'self'") continue;
    const url = URL.canParse(source) ? new URL(source) : null;
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== source.replace(/\/$/, '')) {
      throw new ConfigError(
        'DASHBOARD_FRAME_ANCESTORS',
        value,
        "origins such as https://reports.example.com separated by spaces, or 'self'",
      );
    }
  }
  return sources.map((source) => source.replace(/\/$/, ''));
}

function readOidc(env: Env, publicUrl: URL | null): OidcConfig {
  if (!publicUrl)
    throw ConfigError.missing(
      'DASHBOARD_PUBLIC_URL',
      "the dashboard's public URL, e.g. https://acme.dash.example.com (OIDC redirects are built from it)",
    );
  const issuer = readUrl(env, 'DASHBOARD_OIDC_ISSUER');
  if (!issuer) throw ConfigError.missing('DASHBOARD_OIDC_ISSUER', "the provider's issuer URL, e.g. https://auth.example.com");
  const clientId = raw(env, 'DASHBOARD_OIDC_CLIENT_ID');
  if (!clientId)
    throw ConfigError.missing('DASHBOARD_OIDC_CLIENT_ID', 'the client id registered with the provider for this tenant');
  return {
    issuer: issuer.href.replace(/\/$/, ''),
    clientId,
    clientSecret: raw(env, 'DASHBOARD_OIDC_CLIENT_SECRET'),
    providerName: raw(env, 'DASHBOARD_OIDC_PROVIDER_NAME') ?? 'Authelia',
    sessionSecret: readSecret(env, 'DASHBOARD_SESSION_SECRET', 'it encrypts the session cookie'),
    sessionHours: readInt(env, 'DASHBOARD_SESSION_HOURS', 8, 1, 8),
  };
}

/** `none` is for a developer's own machine: loopback only, explicitly allowed, never in production. */
function checkNoAuthAllowed(env: Env, bindHost: string): void {
  if (raw(env, 'DASHBOARD_ALLOW_NO_AUTH') !== '1') {
    throw new ConfigError(
      'DASHBOARD_AUTH_MODE',
      'none',
      '',
      'DASHBOARD_AUTH_MODE=none needs DASHBOARD_ALLOW_NO_AUTH=1 as well: it serves every page to anyone who can reach the port',
    );
  }
  if (raw(env, 'HYDRAMEM_ENV')?.toLowerCase() === 'production') {
    throw new ConfigError(
      'DASHBOARD_AUTH_MODE',
      'none',
      '',
      'DASHBOARD_AUTH_MODE=none is refused in production (HYDRAMEM_ENV=production): use proxy or oidc',
    );
  }
  if (!isLoopbackHost(bindHost)) {
    throw new ConfigError(
      'DASHBOARD_AUTH_MODE',
      'none',
      '',
      `DASHBOARD_AUTH_MODE=none only binds to loopback, not ${bindHost}: use --host 127.0.0.1, or proxy or oidc`,
    );
  }
}

export function loadAuthConfig(env: Env, tenant: string, bindHost: string): AuthConfig {
  if (raw(env, 'DASHBOARD_AUTH_MODE') === undefined) throw ConfigError.missing('DASHBOARD_AUTH_MODE', MODE_HELP);
  const mode = readEnum(env, 'DASHBOARD_AUTH_MODE', 'proxy', ['proxy', 'oidc', 'none'] as const);
  if (mode === 'none') checkNoAuthAllowed(env, bindHost);
  const defaults = defaultRoleGroups(tenant);
  const trustedProxiesText = raw(env, 'DASHBOARD_TRUSTED_PROXIES') ?? LOOPBACK_CIDRS;
  const publicUrl = readUrl(env, 'DASHBOARD_PUBLIC_URL');
  return {
    mode,
    tenant,
    roleGroups: {
      admin: readGroups(env, 'DASHBOARD_ADMIN_GROUPS', defaults.admin),
      support: readGroups(env, 'DASHBOARD_SUPPORT_GROUPS', defaults.support),
    },
    trustedProxies: parseCidrList('DASHBOARD_TRUSTED_PROXIES', trustedProxiesText),
    trustedProxiesText,
    proxySecret: mode === 'proxy' ? readSecret(env, 'DASHBOARD_PROXY_SECRET', 'Caddy sends it in X-HydraMem-Proxy-Secret') : '',
    logoutUrl: readUrl(env, 'DASHBOARD_LOGOUT_URL')?.href ?? null,
    publicUrl,
    frameAncestors: readFrameAncestors(env),
    oidc: mode === 'oidc' ? readOidc(env, publicUrl) : null,
  };
}
