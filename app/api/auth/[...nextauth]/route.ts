import NextAuth from 'next-auth';
import { dashboardAuth } from '@/lib/auth/dashboard-auth';
import { oidcAuthOptions } from '@/lib/auth/oidc-options';

export const dynamic = 'force-dynamic';

type RouteContext = { params: Promise<{ nextauth: string[] }> };
type Handler = (request: Request, context: RouteContext) => Promise<Response>;

let handler: Handler | undefined;

/** next-auth's endpoints (sign-in, callback, session, sign-out), only when the dashboard signs users in with OIDC. */
async function handle(request: Request, context: RouteContext): Promise<Response> {
  const config = dashboardAuth();
  if (config.mode !== 'oidc') return Response.json({ error: 'not found' }, { status: 404 });
  // The configuration is fixed for the process: build next-auth's handler once.
  handler ??= NextAuth(oidcAuthOptions(config)) as Handler;
  return handler(request, context);
}

export { handle as GET, handle as POST };
