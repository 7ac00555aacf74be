import { expect, test, type Page } from '@playwright/test';
import { startCaddy } from './auth/caddy';
import { SESSION_COOKIE, startForwardAuth, type TestUser } from './auth/forward-auth-server';
import { EXPORT_DATASETS } from '../lib/request/export-response';
import { REPORT_PAGES } from '../lib/report/report-pages';
import { HTML, RSC, rawGet } from './auth/http';
import { leaks, sensitiveContent, type SensitiveContent } from './auth/sensitive';
import { buildDemoTenant, type RunningDashboard, startDashboard } from './tenant';

// Behind the proxy: Debian's caddy with the shipped snippet, an Authelia stand-in for forward auth,
// and `hydramem dashboard` in proxy mode on a tenant the real writer built.
const SECRET = 'e2e-proxy-secret-0123456789abcdef0123456789';
const USERS: Record<string, TestUser> = {
  alice: { groups: ['dash-kestrel-admin'], name: 'Alice Admin' },
  sam: { groups: ['staff', 'dash-kestrel-support'], name: 'Sam Support' },
  olga: { groups: ['dash-globex-admin'] },
  suffix: { groups: ['dash-kestrel-admin-x'] },
  prefix: { groups: ['x-dash-kestrel-admin'] },
  upper: { groups: ['Dash-Kestrel-Admin'] },
  denied: { groups: ['dash-kestrel-admin'], denied: true },
  bypass: { groups: [], bypass: true },
};

let auth: Awaited<ReturnType<typeof startForwardAuth>>;
let dashboard: RunningDashboard;
let caddy: Awaited<ReturnType<typeof startCaddy>>;
let content: SensitiveContent;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const tenant = buildDemoTenant('kestrel');
  content = sensitiveContent(tenant.dataDir, tenant.project);
  auth = await startForwardAuth(USERS);
  dashboard = await startDashboard({
    HYDRAMEM_DATA_DIR: tenant.dataDir,
    HYDRAMEM_PROJECT: tenant.project,
    DASHBOARD_AUTH_MODE: 'proxy',
    DASHBOARD_PROXY_SECRET: SECRET,
    DASHBOARD_LOGOUT_URL: `${auth.url}/logout`,
  });
  caddy = await startCaddy({ dashboardPort: dashboard.port, secret: SECRET, authPort: auth.port });
});

test.afterAll(async () => {
  await caddy?.stop();
  await dashboard?.stop();
  await auth?.close();
});

/** Through Caddy with the test portal's session cookie for `user`. */
const viaCaddy = (path: string, user: string | null, headers: Record<string, string | string[]> = {}) =>
  rawGet(`${caddy.url}${path}`, { ...HTML, ...(user ? { cookie: `${SESSION_COOKIE}=${user}` } : {}), ...headers });
/** Straight to the dashboard's port, as another local process could. */
const direct = (path: string, headers: Record<string, string | string[]>) =>
  rawGet(`${dashboard.url}${path}`, { ...HTML, ...headers });

/** The body without the request's own query-string values, which pages echo (form fields, router state). */
function withoutEcho(body: string, path: string): string {
  const values = [...new URL(path, 'http://x').searchParams.values()].filter((value) => value.length > 3);
  return values.reduce(
    (text, value) =>
      [value, encodeURIComponent(value), value.replace(/ /g, '+')].reduce((t, form) => t.split(form).join(''), text),
    body,
  );
}

async function signIn(page: Page, user: string, path = '/'): Promise<void> {
  await page.goto(`${caddy.url}${path}`);
  await expect(page).toHaveURL(new RegExp(`^${auth.url}/\\?rd=`));
  await page.getByLabel('Username').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`^${caddy.url}`));
}

test('an admin signs in through the portal, sees everything, and the request is logged', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, 'alice', '/queries?range=90d');
  await expect(page.getByTestId('viewer')).toContainText('Alice Admin');
  await expect(page.getByTestId('viewer-role')).toHaveText('admin');
  await expect(page.getByTestId('query-log')).toContainText(content.queries[0] as string);
  await page.getByRole('link', { name: 'Graph' }).click();
  await expect(page.getByTestId('viewer-role')).toHaveText('admin');
  await page.screenshot({ path: 'test-results/screenshots/proxy-admin-graph.png', fullPage: true });
  expect(violations).toEqual([]);
  const line = dashboard.accessLog().find((entry) => entry.user === 'alice' && entry.path === '/queries');
  expect(line).toMatchObject({ user: 'alice', role: 'admin', path: '/queries', status: 200, method: 'GET' });
});

test('sign-out goes to the proxy logout URL, and a page fetch after the session ends reloads into sign-in', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${auth.url}/`);
  await signIn(page, 'alice');
  // The session ends while the page is open; the next client-side navigation gets 401 and reloads.
  await page.context().clearCookies({ name: SESSION_COOKIE });
  await page.getByRole('link', { name: 'Ingest' }).click();
  await expect(page).toHaveURL(new RegExp(`^${auth.url}/\\?rd=`));
});

test('support sees operational data with content redacted in HTML, the RSC payload and JSON', async ({ page }) => {
  await signIn(page, 'sam', '/queries?range=90d');
  await expect(page.getByTestId('viewer-role')).toHaveText('support');
  await expect(page.getByTestId('support-note')).toBeVisible();
  await expect(page.getByTestId('query-log')).toContainText('[redacted]');
  await expect(page.getByTestId('query-count')).not.toHaveAttribute('data-value', '0');
  await page.screenshot({ path: 'test-results/screenshots/proxy-support-queries.png', fullPage: true });
  // Every page (and its report view), both detail pages, and every export in both formats.
  const pages = Object.values(REPORT_PAGES).flatMap((page) => [`${page}?range=90d`, `${page}?range=90d&view=report`]);
  // The audit trail is for administrators: its 403 is checked below.
  const exports = EXPORT_DATASETS.filter((dataset) => dataset !== 'audit').flatMap((dataset) =>
    ['csv', 'json'].map((format) => `/api/export/${dataset}?range=90d&format=${format}`),
  );
  const paths = [
    ...pages,
    `/queries?range=90d&q=${encodeURIComponent(content.queries[0] as string)}&user=${content.users[0]}`,
    `/queries/${content.queryId}`,
    `/queries/${content.queryId}?view=report`,
    `/graph?q=${encodeURIComponent((content.entityNames[0] ?? 'a').slice(0, 4))}`,
    `/graph/entity/${content.hubId}`,
    `/graph/entity/${content.hubId}?view=report`,
    '/users?range=90d',
    '/healthz',
    '/readyz',
    ...exports,
    `/api/export/query-log?range=90d&format=json&user=${content.users[0]}`,
  ];
  for (const path of paths) {
    for (const headers of [HTML, RSC, { accept: 'application/json' }]) {
      const support = await viaCaddy(path, 'sam', headers);
      expect(support.status, `${path} as support`).toBeLessThan(400);
      // Only what the user typed into the URL may come back; nothing read from the stores.
      expect(leaks(withoutEcho(support.body, path), content), `${path} (${JSON.stringify(headers)}) as support`).toEqual([]);
    }
  }
  // The same pages carry the content for an admin: the check above can find it.
  const admin = [
    await viaCaddy('/queries?range=90d', 'alice', RSC),
    await viaCaddy(`/queries/${content.queryId}`, 'alice'),
    await viaCaddy(`/graph/entity/${content.hubId}`, 'alice'),
    await viaCaddy('/graph', 'alice'),
    await viaCaddy('/api/export/query-log?range=90d&format=csv', 'alice'),
  ]
    .map((response) => response.body)
    .join('\n');
  expect(leaks(admin, content).length).toBeGreaterThan(0);
  const supportExport = await viaCaddy('/api/export/query-log?range=90d&format=csv', 'sam');
  expect(supportExport.body).toContain('[redacted]');
  for (const text of [...content.queries.slice(0, 1), ...content.users.slice(0, 1), ...content.chunkSnippets.slice(0, 1)]) {
    expect(admin, 'admin sees it').toContain(text);
  }
});

test('spoofed Remote-* headers sent straight to the dashboard without the secret get 401', async () => {
  const identity = { 'remote-user': 'alice', 'remote-groups': 'dash-kestrel-admin', 'remote-name': 'Alice' };
  for (const headers of [identity, { ...identity, 'x-hydramem-proxy-secret': 'wrong-secret-0123456789abcdef0123456789' }]) {
    for (const accept of [HTML, RSC]) {
      const response = await direct('/queries', { ...headers, ...accept });
      expect(response.status).toBe(401);
      expect(leaks(response.body, content)).toEqual([]);
    }
  }
  const log = dashboard.accessLog().filter((entry) => entry.refused === 'bad-secret');
  expect(log.length).toBeGreaterThan(0);
});

test('identity headers a client sends through Caddy are replaced by what the auth server says', async () => {
  // Signed out: the client's own Remote-User does not sign anyone in.
  const signedOut = await viaCaddy('/', null, {
    'remote-user': 'alice',
    'remote-groups': 'dash-kestrel-admin',
    'x-hydramem-proxy-secret': SECRET,
  });
  expect(signedOut.status).toBe(302);
  expect(signedOut.headers.location).toMatch(new RegExp(`^${auth.url}/\\?rd=`));
  const xhr = await viaCaddy('/', null, { ...RSC, 'remote-user': 'alice', 'remote-groups': 'dash-kestrel-admin' });
  expect(xhr.status).toBe(401);
  // Signed in as support: claiming the admin group changes nothing.
  const claimed = await viaCaddy('/', 'sam', {
    'remote-user': 'alice',
    'remote-groups': 'dash-kestrel-admin',
    'Remote-Groups': 'dash-kestrel-admin',
  });
  expect(claimed.status).toBe(200);
  expect(claimed.body).toContain('data-testid="viewer-role">support<');
  expect(claimed.body).not.toContain('Alice Admin');
});

test('an empty or whitespace Remote-User is not signed in', async () => {
  for (const user of ['', '   ']) {
    const response = await direct('/', {
      'remote-user': user,
      'remote-groups': 'dash-kestrel-admin',
      'x-hydramem-proxy-secret': SECRET,
    });
    expect(response.status, JSON.stringify(user)).toBe(401);
  }
  const missing = await direct('/', { 'remote-groups': 'dash-kestrel-admin', 'x-hydramem-proxy-secret': SECRET });
  expect(missing.status).toBe(401);
});

test('an unreplaced Caddy placeholder as the user is not signed in, directly and through Caddy 2.6 with a bypassed user', async () => {
  const placeholder = '{http.reverse_proxy.header.Remote-User}';
  const response = await direct('/', {
    'remote-user': placeholder,
    'remote-groups': 'dash-kestrel-admin',
    'x-hydramem-proxy-secret': SECRET,
  });
  expect(response.status).toBe(401);
  // The auth server answers 200 without identity headers: Caddy forwards what it forwards; still 401.
  const bypassed = await viaCaddy('/', 'bypass', { 'remote-user': 'alice', 'remote-groups': 'dash-kestrel-admin' });
  expect(bypassed.status).toBe(401);
  expect(dashboard.accessLog().some((entry) => entry.refused === 'no-user')).toBe(true);
});

test("another tenant's group gets a 403 page that names no data", async ({ page }) => {
  await signIn(page, 'olga');
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await expect(page.locator('main')).toContainText('You are signed in as olga, but your account is in none of the groups');
  const response = await viaCaddy('/queries?range=90d', 'olga');
  expect(response.status).toBe(403);
  expect(leaks(response.body, content)).toEqual([]);
  expect(response.body).not.toContain('kestrel');
  expect((await viaCaddy('/queries', 'olga', RSC)).status).toBe(403);
  expect(dashboard.accessLog().find((entry) => entry.user === 'olga')).toMatchObject({ status: 403, refused: 'no-role' });
});

test('the admin-only pages and exports answer 403 to support through the proxy, whatever the link', async ({ page }) => {
  const adminOnly = ['/keys', '/audit?range=90d', '/users/mara.okafor', '/api/export/audit?range=90d&format=csv'];
  for (const path of adminOnly) {
    for (const headers of [HTML, RSC, { accept: 'application/json' }]) {
      const support = await viaCaddy(path, 'sam', headers);
      expect(support.status, `${path} as support`).toBe(403);
      expect(leaks(support.body, content)).toEqual([]);
      expect(support.body).not.toMatch(/hm_(live|test)_/);
    }
    expect((await viaCaddy(path, 'alice')).status, `${path} as admin`).toBe(200);
  }
  expect(dashboard.accessLog().find((entry) => entry.user === 'sam' && entry.path === '/keys')).toMatchObject({
    status: 403,
    refused: 'admin-only',
  });
  // Support still has the users page, identifiers redacted, and no links to the admin pages.
  await signIn(page, 'sam', '/users?range=90d');
  await expect(page.getByTestId('users')).toContainText('[redacted]');
  await expect(page.getByTestId('users').getByRole('link')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Keys' })).toHaveCount(0);
  await page.goto(`${caddy.url}/keys`);
  await expect(page.getByRole('heading', { name: 'For administrators only' })).toBeVisible();
  await expect(page.locator('main')).toContainText(
    'You are signed in as sam with the support role. This page is for the tenant’s administrators (group dash-kestrel-admin).',
  );
});

test('group names that differ by a suffix, a prefix or case are not members', async () => {
  for (const user of ['suffix', 'prefix', 'upper']) {
    const response = await viaCaddy('/', user);
    expect(response.status, user).toBe(403);
  }
  for (const groups of [
    'dash-kestrel-admins',
    'dash-kestrel',
    'DASH-KESTREL-ADMIN',
    'dash-kestrel-admin;x',
    'dash-kestrel-admin x',
  ]) {
    const response = await direct('/', { 'remote-user': 'mallory', 'remote-groups': groups, 'x-hydramem-proxy-secret': SECRET });
    expect(response.status, groups).toBe(403);
  }
});

test('whitespace around groups is trimmed; repeated identity or secret headers are refused', async () => {
  const spaced = await direct('/', {
    'remote-user': 'alice',
    'remote-groups': ' staff ,  dash-kestrel-admin  ',
    'x-hydramem-proxy-secret': SECRET,
  });
  expect(spaced.status).toBe(200);
  expect(spaced.body).toContain('data-testid="viewer-role">admin<');
  const twoUsers = await direct('/', {
    'remote-user': ['alice', 'mallory'],
    'remote-groups': 'dash-kestrel-admin',
    'x-hydramem-proxy-secret': SECRET,
  });
  expect(twoUsers.status).toBe(401);
  const twoSecrets = await direct('/', {
    'remote-user': 'alice',
    'remote-groups': 'dash-kestrel-admin',
    'x-hydramem-proxy-secret': [SECRET, 'other'],
  });
  expect(twoSecrets.status).toBe(401);
});

test('a rule that denies the user at the auth server stops the request at Caddy', async () => {
  const response = await viaCaddy('/', 'denied');
  expect(response.status).toBe(403);
  expect(leaks(response.body, content)).toEqual([]);
});

test('a forged Host or X-Forwarded-Host changes no URL the dashboard writes', async () => {
  const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
  const page = await viaCaddy('/', 'alice', forged);
  expect(page.status).toBe(200);
  expect(page.body).not.toContain('evil.example');
  const refused = await direct('/', forged);
  expect(refused.status).toBe(401);
  expect(JSON.stringify(refused.headers)).not.toContain('evil.example');
});

test('every answer carries the security headers', async () => {
  for (const response of [await viaCaddy('/', 'alice'), await direct('/', {}), await viaCaddy('/', 'olga')]) {
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  }
  const page = await viaCaddy('/', 'alice');
  const nonce = /'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
  const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
});
