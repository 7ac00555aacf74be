import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { buildDemoTenant, startDashboard } from './tenant';

test('outside oidc mode there are no sign-in pages: 404 with a reason, not an empty 200', async ({ request }) => {
  const tenant = buildDemoTenant('kestrel');
  const dashboard = await startDashboard({ HYDRAMEM_DATA_DIR: tenant.dataDir, HYDRAMEM_PROJECT: tenant.project });
  try {
    for (const path of ['/signin', '/signout']) {
      const page = await request.get(`${dashboard.url}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status(), path).toBe(404);
      expect(await page.text(), path).toContain(
        'there is no sign-in page here: this dashboard signs in with DASHBOARD_AUTH_MODE=none',
      );
    }
    const api = await request.get(`${dashboard.url}/api/auth/session`, { headers: { accept: 'application/json' } });
    expect(api.status()).toBe(404);
    expect(await api.json()).toEqual({
      error: 'there is no sign-in page here: this dashboard signs in with DASHBOARD_AUTH_MODE=none',
    });
    // The access line is written after the answer is sent, so the last one can trail the response.
    await expect.poll(() => dashboard.accessLog().filter((line) => line.refused === 'not-found')).toHaveLength(3);
  } finally {
    await dashboard.stop();
    fs.rmSync(tenant.dataDir, { recursive: true, force: true });
  }
});
