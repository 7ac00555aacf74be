import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadAuthConfig, parseCidrList, peerIn } from '../lib/auth/auth-config';
import { decide } from '../lib/auth/gate';
import { cookieNames, readCookie } from '../lib/auth/oidc-session';
import { safeRedirect } from '../lib/auth/safe-redirect';
import { contentSecurityPolicy } from '../lib/auth/security-headers';
import { signViewer, verifyViewer, type Viewer } from '../lib/auth/viewer';
import { ConfigError } from '../lib/config';
import { runCli } from './helpers';

const SECRET = 'p'.repeat(40);
const PROXY = { DASHBOARD_AUTH_MODE: 'proxy', DASHBOARD_PROXY_SECRET: SECRET };
const OIDC = {
  DASHBOARD_AUTH_MODE: 'oidc',
  DASHBOARD_PUBLIC_URL: 'https://acme.dash.example.com',
  DASHBOARD_OIDC_ISSUER: 'https://auth.example.com',
  DASHBOARD_OIDC_CLIENT_ID: 'hydramem-acme',
  DASHBOARD_SESSION_SECRET: 's'.repeat(40),
};
const NONE = { DASHBOARD_AUTH_MODE: 'none', DASHBOARD_ALLOW_NO_AUTH: '1' };

function refusal(env: Record<string, string>, host = '127.0.0.1'): string {
  try {
    loadAuthConfig(env, 'acme', host);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('auth configuration', () => {
  it('refuses to start without a mode, naming the choices', () => {
    expect(refusal({})).toMatch(/^DASHBOARD_AUTH_MODE is not set: choose proxy .*, oidc .* or none/);
    expect(refusal({ DASHBOARD_AUTH_MODE: 'open' })).toContain('one of proxy, oidc, none');
  });

  it('allows none only on loopback, when allowed explicitly, and never in production', () => {
    expect(loadAuthConfig(NONE, 'acme', '127.0.0.1').mode).toBe('none');
    expect(loadAuthConfig(NONE, 'acme', '::1').mode).toBe('none');
    expect(refusal({ DASHBOARD_AUTH_MODE: 'none' })).toContain('needs DASHBOARD_ALLOW_NO_AUTH=1');
    expect(refusal({ ...NONE, HYDRAMEM_ENV: 'production' })).toContain('refused in production');
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'dash.example.com']) {
      expect(refusal(NONE, host)).toContain(`only binds to loopback, not ${host}`);
    }
  });

  it('needs a long proxy secret in proxy mode and keeps it out of messages', () => {
    expect(refusal({ DASHBOARD_AUTH_MODE: 'proxy' })).toContain('DASHBOARD_PROXY_SECRET is not set');
    const short = refusal({ DASHBOARD_AUTH_MODE: 'proxy', DASHBOARD_PROXY_SECRET: 'short-secret' });
    expect(short).toContain('at least 32 characters');
    expect(short).not.toContain('short-secret');
    expect(loadAuthConfig(PROXY, 'acme', '127.0.0.1').proxySecret).toBe(SECRET);
  });

  it('needs the public URL, issuer, client and session secret for oidc, and caps sessions at 8 hours', () => {
    for (const name of [
      'DASHBOARD_PUBLIC_URL',
      'DASHBOARD_OIDC_ISSUER',
      'DASHBOARD_OIDC_CLIENT_ID',
      'DASHBOARD_SESSION_SECRET',
    ]) {
      const env: Record<string, string> = { ...OIDC };
      delete env[name];
      expect(refusal(env)).toContain(`${name} is not set`);
    }
    expect(refusal({ ...OIDC, DASHBOARD_SESSION_HOURS: '9' })).toContain('from 1 to 8');
    expect(refusal({ ...OIDC, DASHBOARD_PUBLIC_URL: 'acme.dash.example.com' })).toContain('an absolute http(s) URL');
    const config = loadAuthConfig(OIDC, 'acme', '127.0.0.1');
    expect(config.oidc?.sessionHours).toBe(8);
    expect(config.oidc?.clientSecret).toBeUndefined();
  });

  it('defaults the role groups to the tenant and accepts configured lists', () => {
    expect(loadAuthConfig(PROXY, 'acme', '127.0.0.1').roleGroups).toEqual({
      admin: ['dash-acme-admin'],
      support: ['dash-acme-support'],
    });
    const custom = loadAuthConfig(
      { ...PROXY, DASHBOARD_ADMIN_GROUPS: ' ops-admins , acme-owners ', DASHBOARD_SUPPORT_GROUPS: 'helpdesk' },
      'acme',
      '127.0.0.1',
    );
    expect(custom.roleGroups).toEqual({ admin: ['ops-admins', 'acme-owners'], support: ['helpdesk'] });
    expect(refusal({ ...PROXY, DASHBOARD_ADMIN_GROUPS: '{http.reverse_proxy.header.Remote-Groups}' })).toContain('group names');
  });

  it('parses trusted proxies as CIDR ranges, including IPv4-mapped peers', () => {
    const list = parseCidrList('DASHBOARD_TRUSTED_PROXIES', '127.0.0.0/8,::1/128,10.1.0.0/16');
    expect(peerIn(list, '127.0.0.1')).toBe(true);
    expect(peerIn(list, '::ffff:127.0.0.1')).toBe(true);
    expect(peerIn(list, '::1')).toBe(true);
    expect(peerIn(list, '10.1.200.3')).toBe(true);
    expect(peerIn(list, '10.2.0.1')).toBe(false);
    expect(peerIn(list, undefined)).toBe(false);
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/x', '']) {
      expect(() => parseCidrList('DASHBOARD_TRUSTED_PROXIES', bad)).toThrow(ConfigError);
    }
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });

  it('takes frame-ancestors as origins only', () => {
    expect(loadAuthConfig(PROXY, 'acme', '127.0.0.1').frameAncestors).toEqual([]);
    const config = loadAuthConfig({ ...PROXY, DASHBOARD_FRAME_ANCESTORS: 'https://reports.example.com/' }, 'acme', '127.0.0.1');
    expect(contentSecurityPolicy(config, 'n0nce')).toMatch(/; frame-ancestors https:\/\/reports\.example\.com$/);
    expect(contentSecurityPolicy(loadAuthConfig(PROXY, 'acme', '127.0.0.1'), 'n0nce')).toContain("frame-ancestors 'none'");
    expect(refusal({ ...PROXY, DASHBOARD_FRAME_ANCESTORS: 'https://reports.example.com/path' })).toContain(
      'DASHBOARD_FRAME_ANCESTORS',
    );
    expect(refusal({ ...PROXY, DASHBOARD_FRAME_ANCESTORS: '*' })).toContain('DASHBOARD_FRAME_ANCESTORS');
  });
});

describe('the gate in front of Next', () => {
  const proxy = loadAuthConfig(PROXY, 'acme', '127.0.0.1');
  const headers = { 'x-hydramem-proxy-secret': SECRET, 'remote-user': 'ann', 'remote-groups': 'dash-acme-support' };

  it('lets static files and health probes through without identity, nothing else', async () => {
    for (const pathname of ['/_next/static/chunks/app.js', '/healthz', '/readyz', '/icon.svg']) {
      expect(await decide({ pathname, headers: {}, peer: '203.0.113.9' }, proxy)).toEqual({ kind: 'public' });
    }
    for (const pathname of ['/', '/queries', '/_next/data/x.json', '/signin', '/api/auth/session', '/healthz/x']) {
      expect((await decide({ pathname, headers: {}, peer: '127.0.0.1' }, proxy)).kind).toBe('unauthenticated');
    }
  });

  it('trusts identity headers only from a trusted peer with the secret', async () => {
    expect(await decide({ pathname: '/', headers, peer: '127.0.0.1' }, proxy)).toEqual({
      kind: 'allow',
      viewer: { user: 'ann', name: null, role: 'support', mode: 'proxy' },
    });
    expect(await decide({ pathname: '/', headers, peer: '192.0.2.10' }, proxy)).toEqual({
      kind: 'unauthenticated',
      reason: 'untrusted-peer',
    });
    const wider = loadAuthConfig({ ...PROXY, DASHBOARD_TRUSTED_PROXIES: '192.0.2.0/24' }, 'acme', '127.0.0.1');
    expect((await decide({ pathname: '/', headers, peer: '192.0.2.10' }, wider)).kind).toBe('allow');
    expect((await decide({ pathname: '/', headers, peer: '127.0.0.1' }, wider)).kind).toBe('unauthenticated');
    expect(await decide({ pathname: '/', headers: { ...headers, 'remote-groups': 'staff' }, peer: '::1' }, proxy)).toEqual({
      kind: 'forbidden',
      user: 'ann',
      reason: 'no-role',
    });
  });

  it('refuses support on admin-only paths and their exports, and lets admins through', async () => {
    const proxy = loadAuthConfig(PROXY, 'acme', '127.0.0.1');
    const support = { ...headers, 'remote-groups': 'dash-acme-support' };
    const admin = { ...headers, 'remote-groups': 'dash-acme-admin' };
    for (const pathname of ['/keys', '/audit', '/users/alice', '/api/export/audit']) {
      expect(await decide({ pathname, headers: support, peer: '::1' }, proxy)).toEqual({
        kind: 'forbidden',
        user: 'ann',
        reason: 'admin-only',
      });
      expect((await decide({ pathname, headers: admin, peer: '::1' }, proxy)).kind).toBe('allow');
    }
    for (const pathname of ['/users', '/queries', '/api/export/queries']) {
      expect((await decide({ pathname, headers: support, peer: '::1' }, proxy)).kind).toBe('allow');
    }
  });

  it('signs nobody in with oidc without a valid session cookie', async () => {
    const oidc = loadAuthConfig(OIDC, 'acme', '127.0.0.1');
    expect((await decide({ pathname: '/signin', headers: {}, peer: '127.0.0.1' }, oidc)).kind).toBe('public');
    expect((await decide({ pathname: '/api/auth/callback/oidc', headers: {}, peer: '127.0.0.1' }, oidc)).kind).toBe('public');
    const forged = { cookie: `${cookieNames('acme', true).sessionToken}=eyJhbGciOiJub25lIn0.eyJsb2dpbiI6ImFubiJ9.` };
    expect(await decide({ pathname: '/', headers: forged, peer: '127.0.0.1' }, oidc)).toEqual({
      kind: 'unauthenticated',
      reason: 'no-session',
    });
  });
});

describe('auth helpers', () => {
  it('keeps redirects on the public origin', () => {
    const base = new URL('https://acme.dash.example.com');
    expect(safeRedirect('/queries?range=7d', base)).toBe('https://acme.dash.example.com/queries?range=7d');
    expect(safeRedirect('https://acme.dash.example.com/graph', base)).toBe('https://acme.dash.example.com/graph');
    for (const evil of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'http://acme.dash.example.com/',
    ]) {
      expect(safeRedirect(evil, base), evil).toBe('https://acme.dash.example.com/');
    }
  });

  it('accepts only a viewer signed with this process key', () => {
    const viewer: Viewer = { user: 'ann', name: 'Ann', role: 'support', mode: 'proxy' };
    const header = signViewer(viewer, 'key-1');
    expect(verifyViewer(header, 'key-1')).toEqual(viewer);
    expect(verifyViewer(header, 'key-2')).toBeNull();
    expect(verifyViewer(header, undefined)).toBeNull();
    const [payload, signature] = header.split('.');
    const admin = Buffer.from(JSON.stringify({ ...viewer, role: 'admin' })).toString('base64url');
    expect(verifyViewer(`${admin}.${signature}`, 'key-1')).toBeNull();
    expect(verifyViewer(`${payload}.${signature}.x`, 'key-1')).toBeNull();
    expect(verifyViewer('garbage', 'key-1')).toBeNull();
  });

  it('names cookies per tenant and reads chunked session cookies', () => {
    expect(cookieNames('acme', false).sessionToken).toBe('hydramem-acme.session-token');
    expect(cookieNames('acme', true).sessionToken).toBe('__Secure-hydramem-acme.session-token');
    expect(cookieNames('acme', true).csrfToken).toBe('__Host-hydramem-acme.csrf-token');
    const header = 'other=1; hydramem-acme.session-token.0=abc; hydramem-acme.session-token.1=def';
    expect(readCookie(header, 'hydramem-acme.session-token')).toBe('abcdef');
    expect(readCookie('hydramem-globex.session-token=zzz', 'hydramem-acme.session-token')).toBeNull();
  });
});

describe('hydramem dashboard refuses an unsafe auth set-up before serving', () => {
  it.each([
    [{}, ['dashboard'], 'DASHBOARD_AUTH_MODE is not set'],
    [NONE, ['dashboard', '--host', '0.0.0.0'], 'only binds to loopback, not 0.0.0.0'],
    [{ ...NONE, HYDRAMEM_ENV: 'production' }, ['dashboard'], 'refused in production'],
    [{ DASHBOARD_AUTH_MODE: 'none' }, ['dashboard'], 'needs DASHBOARD_ALLOW_NO_AUTH=1'],
  ])('%j %j', (env, args, message) => {
    const result = runCli([...args, '--port', '65500'], { DASHBOARD_AUTH_MODE: '', ...env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
