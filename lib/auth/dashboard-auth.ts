import { loadConfig } from '../config';
import { loadAuthConfig, type AuthConfig } from './auth-config';

/** Set by `hydramem dashboard`: the address it binds, which decides whether `none` may run. */
export const BIND_HOST_ENV = 'HYDRAMEM_DASHBOARD_BIND';

let cached: AuthConfig | null = null;

/** The auth configuration inside the Next process (the same environment the server validated at start). */
export function dashboardAuth(): AuthConfig {
  cached ??= loadAuthConfig(process.env, loadConfig().tenant, process.env[BIND_HOST_ENV] ?? '127.0.0.1');
  return cached;
}
