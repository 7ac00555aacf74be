import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test account of the stand-in for Authelia. */
export interface TestUser {
  groups: string[];
  name?: string;
  email?: string;
  /** Denied by an access rule: forward auth answers 403. */
  denied?: boolean;
  /** Matched by a bypass rule: forward auth answers 200 without identity headers. */
  bypass?: boolean;
}

export const SESSION_COOKIE = 'test_authelia_session';

/**
 * A stand-in for Authelia (which cannot be installed here) that follows its documented
 * forward-auth contract: /api/authz/forward-auth answers 200 with Remote-User, Remote-Groups,
 * Remote-Name and Remote-Email for a signed-in user; when signed out, 302 to the portal for a
 * GET/HEAD/OPTIONS that accepts text/html (303 for other methods) and 401 for an XHR or a request
 * that does not accept HTML; 403 when a rule denies the user. The "portal" signs in by user name.
 */
export async function startForwardAuth(
  users: Record<string, TestUser>,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const sessionUser = (req: http.IncomingMessage): string | null => {
    const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '');
    const user = match?.[1] ? decodeURIComponent(match[1]) : null;
    return user && users[user] ? user : null;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    if (url.pathname === '/api/authz/forward-auth') {
      const user = sessionUser(req);
      if (!user) {
        const method = String(req.headers['x-forwarded-method'] ?? 'GET').toUpperCase();
        const accept = String(req.headers.accept ?? '');
        const xhr = String(req.headers['x-requested-with'] ?? '').toLowerCase() === 'xmlhttprequest';
        if (xhr || !accept.includes('text/html')) {
          res.writeHead(401).end('Unauthorized');
          return;
        }
        const target = `${req.headers['x-forwarded-proto']}://${req.headers['x-forwarded-host']}${req.headers['x-forwarded-uri'] ?? '/'}`;
        const status = ['GET', 'HEAD', 'OPTIONS'].includes(method) ? 302 : 303;
        res.writeHead(status, { location: `http://127.0.0.1:${port}/?rd=${encodeURIComponent(target)}` }).end();
        return;
      }
      const account = users[user] as TestUser;
      if (account.denied) {
        res.writeHead(403).end('Forbidden');
        return;
      }
      if (account.bypass) {
        res.writeHead(200).end();
        return;
      }
      res
        .writeHead(200, {
          'Remote-User': user,
          'Remote-Groups': account.groups.join(','),
          'Remote-Name': account.name ?? user,
          'Remote-Email': account.email ?? `${user}@example.com`,
        })
        .end();
      return;
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const user = form.get('username') ?? '';
        const rd = form.get('rd') ?? '/';
        if (!users[user]) {
          res.writeHead(401, { 'content-type': 'text/html' }).end('<p>unknown user</p>');
          return;
        }
        res
          .writeHead(302, {
            'set-cookie': `${SESSION_COOKIE}=${encodeURIComponent(user)}; Path=/; HttpOnly; SameSite=Lax`,
            location: rd,
          })
          .end();
      });
      return;
    }
    if (url.pathname === '/logout') {
      res.writeHead(302, { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0`, location: `http://127.0.0.1:${port}/` }).end();
      return;
    }
    const rd = url.searchParams.get('rd') ?? '';
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<!doctype html><title>Test portal</title><h1>Sign in</h1>
       <form method="post" action="/login"><input type="hidden" name="rd" value="${rd.replace(/"/g, '&quot;')}">
       <label>Username <input name="username"></label><button type="submit">Sign in</button></form>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
