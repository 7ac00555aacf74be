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

/** The subject of an ID token next-auth's client has already validated. */
function idTokenSubject(idToken: string | undefined): string | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(idToken?.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && 'sub' in payload && typeof payload.sub === 'string'
      ? payload.sub
      : null;
  } catch {
    return null;
  }
}

/** The message of what went wrong in a sign-in, for the operator's log (no stack, no tokens). */
function describe(metadata: unknown): string {
  const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
  return error instanceof Error ? error.message : 'no details';
}

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
    // The ID token is validated (signature, issuer, audience); the profile with the groups comes
    // from UserInfo, where Authelia and oidc-provider put them. (idToken: false would make the
    // client reject the ID token every OIDC provider returns for the openid scope.)
    idToken: true,
    userinfo: {
      request: async ({ client, tokens }) => {
        const profile = await client.userinfo(tokens.access_token ?? '');
        // UserInfo must describe the user the (validated) ID token names.
        if (profile.sub !== idTokenSubject(tokens.id_token)) throw new Error('the UserInfo subject differs from the ID token');
        return profile;
      },
    },
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
      error: (code, metadata) => process.stderr.write(`hydramem dashboard: sign-in failed (${code}): ${describe(metadata)}\n`),
      warn: () => undefined,
      debug: () => undefined,
    },
  };
}
