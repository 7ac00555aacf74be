import type { AuthOptions, CookiesOptions } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { AuthConfig, OidcConfig } from './auth-config';
import { cookieNames } from './oidc-session';
import { parseGroups } from './roles';
import { safeRedirect } from './safe-redirect';

/** The claims Authelia (and any OIDC provider) returns from UserInfo for the scopes we ask. */
interface UserinfoProfile {
  sub: string;
  preferred_username?: string;
  name?: string;
  email?: string;
  groups?: string[] | string;
}

export const OIDC_PROVIDER_ID = 'oidc';

function provider(oidc: OidcConfig): OAuthConfig<UserinfoProfile> {
  return {
    id: OIDC_PROVIDER_ID,
    name: oidc.providerName,
    type: 'oauth',
    wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
    clientId: oidc.clientId,
    clientSecret: oidc.clientSecret ?? '',
    client: { token_endpoint_auth_method: oidc.clientSecret ? 'client_secret_basic' : 'none' },
    authorization: { params: { scope: 'openid profile email groups' } },
    // Groups come from UserInfo (Authelia and oidc-provider keep them out of the ID token).
    idToken: false,
    checks: ['pkce', 'state'],
    profile: (profile) => ({
      id: profile.sub,
      name: profile.name ?? profile.preferred_username ?? profile.sub,
      email: profile.email ?? null,
    }),
  };
}

function cookies(tenant: string, secure: boolean): CookiesOptions {
  const names = cookieNames(tenant, secure);
  const options = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure };
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, { name, options }])) as unknown as CookiesOptions;
}

/** next-auth's options for one tenant: code flow with PKCE, groups from UserInfo, a JWT session of at most sessionHours. */
export function oidcAuthOptions(config: AuthConfig): AuthOptions {
  const oidc = config.oidc;
  const publicUrl = config.publicUrl;
  if (!oidc || !publicUrl) throw new Error('OIDC sign-in is not configured (DASHBOARD_AUTH_MODE is not oidc)');
  const maxAge = oidc.sessionHours * 3600;
  return {
    providers: [provider(oidc)],
    secret: oidc.sessionSecret,
    session: { strategy: 'jwt', maxAge, updateAge: maxAge },
    jwt: { maxAge },
    cookies: cookies(config.tenant, publicUrl.protocol === 'https:'),
    useSecureCookies: publicUrl.protocol === 'https:',
    pages: { signIn: '/signin', error: '/signin', signOut: '/signin' },
    callbacks: {
      jwt({ token, profile }) {
        if (profile) {
          const p = profile as UserinfoProfile;
          // Sign-in: keep who it is and their groups; the session cannot outlive signedInAt + sessionHours.
          return {
            sub: p.sub,
            login: p.preferred_username ?? p.sub,
            name: p.name ?? p.preferred_username ?? null,
            groups: parseGroups(p.groups),
            signedInAt: Date.now(),
          };
        }
        return token;
      },
      redirect: ({ url }) => safeRedirect(url, publicUrl),
    },
    logger: {
      error: (code) => process.stderr.write(`hydramem dashboard: sign-in error ${code}\n`),
      warn: () => undefined,
      debug: () => undefined,
    },
  };
}
