import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OidcAccount {
  name: string;
  groups: string[];
}

/**
 * `oidc-provider` (an OpenID-certified provider) on loopback, set up the way Authelia serves the
 * dashboard: one confidential client, authorization code with PKCE required, groups in UserInfo
 * only. Its development login and consent pages accept any known login (test use only).
 */
export async function startOidcProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, OidcAccount>;
}): Promise<{ issuer: string; close(): Promise<void> }> {
  const { default: Provider } = await import('oidc-provider');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['hydramem-test-oidc-cookie-key'] },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          preferred_username: id,
          name: account.name,
          email: `${id}@example.com`,
          groups: account.groups,
        }),
      };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
