import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { encode } from 'next-auth/jwt';
import { freePort, runCliAsync } from '../tests/helpers';
import { HTML, RSC, rawGet } from './auth/http';
import { startOidcProvider } from './auth/oidc-server';
import { leaks, sensitiveContent, type SensitiveContent } from './auth/sensitive';
import { buildDemoTenant, type RunningDashboard, startDashboard } from './tenant';

// OIDC sign-in with next-auth against oidc-provider on loopback, in Chromium.
const SESSION_SECRET = 'e2e-session-secret-0123456789abcdef0123456789';
const SESSION_COOKIE = 'hydramem-kestrel.session-token';

let provider: Awaited<ReturnType<typeof startOidcProvider>>;
let dashboard: RunningDashboard;
let content: SensitiveContent;
let tenantEnv: Record<string, string>;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const tenant = buildDemoTenant('kestrel');
  content = sensitiveContent(tenant.dataDir, tenant.project);
  tenantEnv = { HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project };
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    clientId: 'hydramem-kestrel',
    clientSecret: 'e2e-client-secret',
    redirectUri: `${publicUrl}/api/auth/callback/oidc`,
    accounts: {
      alice: { name: 'Alice Admin', groups: ['dash-kestrel-admin'] },
      sam: { name: 'Sam Support', groups: ['dash-kestrel-support'] },
      olga: { name: 'Olga Other', groups: ['dash-globex-admin', 'dash-kestrel-admin-x'] },
    },
  });
  dashboard = await startDashboard(
    {
      HYDRAMEM_DATA_DIR: tenant.dataDir,
      HYDRAMEM_PROJECT: tenant.project,
      DASHBOARD_AUTH_MODE: 'oidc',
      DASHBOARD_PUBLIC_URL: publicUrl,
      DASHBOARD_OIDC_ISSUER: provider.issuer,
      DASHBOARD_OIDC_CLIENT_ID: 'hydramem-kestrel',
      DASHBOARD_OIDC_CLIENT_SECRET: 'e2e-client-secret',
      DASHBOARD_OIDC_PROVIDER_NAME: 'Test provider',
      DASHBOARD_SESSION_SECRET: SESSION_SECRET,
    },
    port,
  );
});

test.afterAll(async () => {
  await dashboard?.stop();
  await provider?.close();
});

/** Signs in at the provider's development pages (any password), consenting if asked. */
async function providerLogin(page: Page, login: string): Promise<void> {
  // Either the provider's pages, or straight back when the provider still has a session.
  await page.waitForURL((url) => url.origin === provider.issuer || (url.origin === dashboard.url && url.pathname !== '/signin'));
  if (new URL(page.url()).origin !== provider.issuer) return;
  const field = page.locator('input[name="login"]');
  if (await field.isVisible()) {
    await field.fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }
  await page.waitForURL((url) => url.origin === dashboard.url || url.pathname.includes('/interaction/'));
  if (new URL(page.url()).origin === provider.issuer) await page.getByRole('button', { name: 'Continue' }).click();
}

async function signIn(page: Page, login: string, path = '/'): Promise<void> {
  await page.goto(`${dashboard.url}${path}`);
  await expect(page).toHaveURL(new RegExp(`^${dashboard.url}/signin\\?callbackUrl=`));
  await page.getByRole('button', { name: 'Sign in with Test provider' }).click();
  await providerLogin(page, login);
  await page.waitForURL((url) => url.origin === dashboard.url && url.pathname !== '/signin');
}

async function sessionCookie(expiresInSeconds: number, claims: Record<string, unknown>): Promise<string> {
  const token = await encode({ token: claims, secret: SESSION_SECRET, maxAge: expiresInSeconds });
  return `${SESSION_COOKIE}=${token}`;
}

test('an admin signs in with the provider and lands on the page they asked for; cookies carry the tenant', async ({ page }) => {
  await signIn(page, 'alice', '/queries?range=90d');
  await expect(page).toHaveURL(`${dashboard.url}/queries?range=90d`);
  await expect(page.getByTestId('viewer')).toContainText('Alice Admin');
  await expect(page.getByTestId('viewer-role')).toHaveText('admin');
  await expect(page.getByTestId('query-log')).toContainText(content.queries[0] as string);
  const cookies = await page.context().cookies(dashboard.url);
  const session = cookies.find((cookie) => cookie.name === SESSION_COOKIE);
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  // At most 8 hours, however the session is used.
  expect((session?.expires ?? 0) - Date.now() / 1000).toBeLessThanOrEqual(8 * 3600 + 5);
  expect(cookies.filter((cookie) => cookie.name.startsWith('next-auth'))).toEqual([]);
  expect(dashboard.accessLog().find((entry) => entry.user === 'alice' && entry.path === '/queries')).toMatchObject({
    role: 'admin',
    status: 200,
  });
  await page.screenshot({ path: 'test-results/screenshots/oidc-admin-queries.png', fullPage: true });
});

test('groups from UserInfo map to roles: support sees redacted content, another group gets 403', async ({ page, browser }) => {
  await signIn(page, 'sam', '/queries?range=90d');
  await expect(page.getByTestId('viewer-role')).toHaveText('support');
  await expect(page.getByTestId('query-log')).toContainText('[redacted]');
  expect(leaks(await page.content(), content)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/oidc-support-queries.png', fullPage: true });
  const other = await browser.newContext();
  const olga = await other.newPage();
  await olga.goto(`${dashboard.url}/`);
  await olga.getByRole('button', { name: 'Sign in with Test provider' }).click();
  await providerLogin(olga, 'olga');
  await expect(olga.getByRole('heading', { name: 'No access' })).toBeVisible();
  await expect(olga.locator('body')).not.toContainText('kestrel');
  await olga.screenshot({ path: 'test-results/screenshots/oidc-no-access.png' });
  await other.close();
});

test('sign-out ends the session: the next visit asks to sign in again', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${dashboard.url}/signin`);
  await page.screenshot({ path: 'test-results/screenshots/oidc-signin.png' });
  expect((await page.context().cookies(dashboard.url)).some((cookie) => cookie.name === SESSION_COOKIE)).toBe(false);
  await page.goto(`${dashboard.url}/graph`);
  await expect(page).toHaveURL(new RegExp(`^${dashboard.url}/signin\\?callbackUrl=%2Fgraph`));
});

test('a tampered, expired or too old session cookie is not a session', async () => {
  const claims = { sub: 'alice', login: 'alice', name: 'Alice Admin', groups: ['dash-kestrel-admin'] };
  const valid = await sessionCookie(3600, { ...claims, signedInAt: Date.now() });
  const ok = await rawGet(`${dashboard.url}/`, { ...HTML, cookie: valid });
  expect(ok.status).toBe(200);
  expect(ok.body).toContain('data-testid="viewer-role">admin<');
  const value = valid.slice(SESSION_COOKIE.length + 1);
  const middle = Math.floor(value.length / 2);
  const tampered = `${SESSION_COOKIE}=${value.slice(0, middle)}${value[middle] === 'A' ? 'B' : 'A'}${value.slice(middle + 1)}`;
  const expired = await sessionCookie(-60, { ...claims, signedInAt: Date.now() - 7200_000 });
  const tooOld = await sessionCookie(3600, { ...claims, signedInAt: Date.now() - 9 * 3600_000 });
  const otherSecret = `${SESSION_COOKIE}=${await encode({ token: { ...claims, signedInAt: Date.now() }, secret: 'another-secret-0123456789abcdef0123456789' })}`;
  for (const [label, cookie] of Object.entries({ tampered, expired, tooOld, otherSecret })) {
    const page = await rawGet(`${dashboard.url}/queries`, { ...HTML, cookie });
    expect(page.status, label).toBe(302);
    expect(page.headers.location, label).toBe(`${dashboard.url}/signin?callbackUrl=%2Fqueries`);
    const fetch = await rawGet(`${dashboard.url}/queries`, { ...RSC, cookie });
    expect(fetch.status, label).toBe(401);
    expect(leaks(fetch.body, content), label).toEqual([]);
  }
});

test('no open redirect through callbackUrl', async ({ page }) => {
  for (const target of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
    const signInPage = await rawGet(`${dashboard.url}/signin?callbackUrl=${encodeURIComponent(target)}`, HTML);
    expect(signInPage.body.replace(/callbackUrl=[^"&]*/g, ''), target).not.toContain('evil.example');
    await page.goto(`${dashboard.url}/signin?callbackUrl=${encodeURIComponent(target)}`);
    await page.getByRole('button', { name: 'Sign in with Test provider' }).click();
    await providerLogin(page, 'alice');
    await page.waitForURL((url) => url.origin === dashboard.url && url.pathname !== '/signin');
    expect(new URL(page.url()).origin, target).toBe(dashboard.url);
    await expect(page.getByTestId('viewer-role')).toHaveText('admin');
  }
});

test('a forged Host or X-Forwarded-Host changes no URL: redirects come from DASHBOARD_PUBLIC_URL', async () => {
  const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
  const redirect = await rawGet(`${dashboard.url}/ingest`, { ...HTML, ...forged });
  expect(redirect.status).toBe(302);
  expect(redirect.headers.location).toBe(`${dashboard.url}/signin?callbackUrl=%2Fingest`);
  const providers = await rawGet(`${dashboard.url}/api/auth/providers`, { accept: 'application/json', ...forged });
  expect(providers.status).toBe(200);
  const oidc = (JSON.parse(providers.body) as Record<string, { signinUrl: string; callbackUrl: string }>).oidc;
  expect(oidc?.signinUrl).toBe(`${dashboard.url}/api/auth/signin/oidc`);
  expect(oidc?.callbackUrl).toBe(`${dashboard.url}/api/auth/callback/oidc`);
  const signInPage = await rawGet(`${dashboard.url}/signin`, { ...HTML, ...forged });
  expect(signInPage.body).not.toContain('evil.example');
});

test('hydramem report --url reaches an OIDC dashboard with a session cookie, and without one says what to do', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'alice');
  const session = (await page.context().cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
  expect(session).toBeDefined();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-oidc-report-'));
  try {
    const args = ['report', '--pages', 'overview,graph', '--out', out, '--url', dashboard.url];
    // Runs beside the provider in this process, so the command must not block it.
    const signedIn = await runCliAsync(args, { ...tenantEnv, HYDRAMEM_REPORT_COOKIE: `${SESSION_COOKIE}=${session?.value}` });
    expect(signedIn.code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { pages: Array<{ file: string }> };
    expect(manifest.pages.map((entry) => entry.file)).toEqual(['overview.png', 'graph.png']);
    expect(dashboard.accessLog().filter((line) => line.path === '/graph' && line.user === 'alice')).not.toHaveLength(0);

    const anonymous = await runCliAsync(args, tenantEnv);
    expect(anonymous.code).toBe(6);
    expect(anonymous.stderr).toMatch(/asked for a sign-in \(200 at \/signin\).*HYDRAMEM_REPORT_COOKIE/s);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
