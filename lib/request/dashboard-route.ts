import { currentViewer } from '../auth/current-viewer';
import { loadConfig } from '../config';
import { firstValues } from './links';
import { readerFor, type Reader } from './reader';
import { requestContext, type RequestContext } from './request-context';

export interface RouteRequest {
  request: Request;
  context: RequestContext;
  read: Reader;
}

/** A public probe's request: whether a viewer the server decided is asking (they may see reasons). */
export interface ProbeRequest extends RouteRequest {
  signedIn: boolean;
}

type RouteParams = { params: Promise<Record<string, string | string[]>> };

function contextFor(request: Request, viewer: RequestContext['viewer']): { context: RequestContext; read: Reader } {
  const config = loadConfig();
  const context = requestContext(
    firstValues(new URL(request.url).searchParams),
    viewer,
    { tenant: config.tenant, projects: config.dashboardProjects },
    new Date(),
  );
  return { context, read: readerFor(config, context.scope, viewer.role) };
}

/**
 * The request path of a route handler that serves tenant data: 401 without the viewer the server
 * decided, otherwise the handler gets the same context and reader as a page.
 */
export function dashboardRoute(handler: (route: RouteRequest, params: Record<string, string | string[]>) => Promise<Response>) {
  return async (request: Request, { params }: RouteParams): Promise<Response> => {
    const viewer = await currentViewer();
    if (!viewer) return Response.json({ error: 'not signed in' }, { status: 401, headers: { 'cache-control': 'no-store' } });
    return handler({ request, ...contextFor(request, viewer) }, await params);
  };
}

/**
 * The request path of a public probe (/readyz): it reads as the most restricted role, whoever asks,
 * and may only use reads that carry no content; `signedIn` says whether to add the details.
 */
export function publicRoute(handler: (route: ProbeRequest) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const signedIn = (await currentViewer()) !== null;
    return handler({ request, signedIn, ...contextFor(request, { user: 'probe', name: null, role: 'support', mode: 'none' }) });
  };
}
