import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Engine } from '../engine';
import { presentedPrefix, REFUSAL_TEXT } from '../identity/api-keys';
import { trustedCaller, type Caller } from '../identity/caller';
import { writeCliToken, type CliToken } from '../identity/cli-token';
import { checkUserId } from '../identity/users';
import type { McpSession, ToolExtra } from './guard';
import { createMcpServer } from './tools';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpMcpOptions {
  /** Sessions kept at most; beyond it, the one used longest ago is ended. */
  maxSessions?: number;
  /** A session unused this long is ended. */
  sessionIdleMs?: number;
}

export interface HttpMcpServer {
  url: string;
  port: number;
  sessions(): number;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function rpcError(res: http.ServerResponse, status: number, message: string, headers: http.OutgoingHttpHeaders = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req) {
    size += (part as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    parts.push(part as Buffer);
  }
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function header(req: http.IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

interface LiveSession {
  transport: StreamableHTTPServerTransport;
  /** The key (or the command line, or nobody) the session was opened with. */
  openerId: string;
  lastUsed: number;
}

type Authenticated = { caller: Caller; id: string } | { status: 401 | 403; message: string };

/**
 * MCP over Streamable HTTP at /mcp, plus /healthz. With API keys (HYDRAMEM_HTTP_AUTH=keys, the
 * default), every request needs `Authorization: Bearer <key>`: a request without a valid key gets
 * 401 before anything is read or kept; a session belongs to the key that opened it, and every
 * request is checked again, so a revoked or rotated key stops at once. Sessions are bounded and
 * expire when idle. On loopback, Host headers are checked against DNS rebinding.
 */
export async function startHttpMcp(
  engine: Engine,
  host: string,
  port: number,
  options: HttpMcpOptions = {},
): Promise<HttpMcpServer> {
  const maxSessions = options.maxSessions ?? engine.config.httpMaxSessions;
  const idleMs = options.sessionIdleMs ?? engine.config.httpSessionIdleMinutes * 60_000;
  const sessions = new Map<string, LiveSession>();
  const useKeys = engine.config.httpAuth === 'keys';
  const cliToken: CliToken | null = useKeys ? writeCliToken(engine.config.dataDir) : null;
  let allowedHosts: string[] = [];

  /** The end user a request names in X-End-User-ID, checked. */
  const endUserOf = (req: http.IncomingMessage): string | null => {
    const named = header(req, 'x-end-user-id');
    return named === null ? null : checkUserId(named, 'X-End-User-ID');
  };

  const authenticate = (req: http.IncomingMessage): Authenticated => {
    let endUser: string | null;
    try {
      endUser = endUserOf(req);
    } catch (error) {
      return { status: 403, message: (error as Error).message };
    }
    if (!useKeys) return { caller: trustedCaller('open-http', 'http (no auth)', endUser), id: 'open' };
    const token = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    if (!token) return { status: 401, message: 'an API key is required: Authorization: Bearer hm_live_…' };
    if (cliToken?.matches(token)) {
      const osUser = header(req, 'x-hydramem-os-user') ?? 'unknown';
      return { caller: trustedCaller('cli', `cli:${osUser.slice(0, 64)}`, endUser), id: 'cli' };
    }
    const found = engine.keys.authenticate(token);
    if ('refused' in found) {
      const prefix = presentedPrefix(token);
      if (prefix)
        engine.audit({
          actor: `key:${prefix}`,
          action: 'key.use',
          target: null,
          result: 'denied',
          reason: REFUSAL_TEXT[found.refused],
          keyPrefix: prefix,
          endUser,
        });
      return { status: 401, message: REFUSAL_TEXT[found.refused] };
    }
    if (found.userId !== null && endUser !== null && endUser !== found.userId) {
      engine.audit({
        actor: `key:${found.prefix}`,
        action: 'key.use',
        target: null,
        result: 'denied',
        reason: `X-End-User-ID ${endUser} on a key bound to ${found.userId}`,
        keyPrefix: found.prefix,
        endUser,
      });
      return { status: 403, message: `this key acts only for user "${found.userId}"; X-End-User-ID names "${endUser}"` };
    }
    const caller: Caller = {
      kind: 'key',
      actor: `key:${found.prefix}`,
      key: found,
      endUser: found.userId ?? endUser,
      scopes: found.scopes,
    };
    return { caller, id: found.id };
  };

  const endSession = (id: string): void => {
    const live = sessions.get(id);
    sessions.delete(id);
    void live?.transport.close().catch(() => undefined);
  };

  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const [id, live] of sessions) if (now - live.lastUsed > idleMs) endSession(id);
    },
    Math.min(60_000, idleMs),
  );
  sweeper.unref();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok', project: engine.project });
    if (pathname !== '/mcp') return sendJson(res, 404, { error: 'not found: the MCP endpoint is /mcp' });
    const auth = authenticate(req);
    if ('status' in auth) {
      req.resume();
      return rpcError(
        res,
        auth.status,
        auth.message,
        auth.status === 401 ? { 'www-authenticate': 'Bearer realm="hydramem"' } : {},
      );
    }
    // The transport hands this to every tool call of the request.
    (req as http.IncomingMessage & { auth?: unknown }).auth = {
      token: '',
      clientId: auth.id,
      scopes: [...auth.caller.scopes],
      extra: { caller: auth.caller },
    };
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) {
      if (existing.openerId !== auth.id) return rpcError(res, 403, 'this session was opened with another key');
      existing.lastUsed = Date.now();
      return existing.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return rpcError(res, 400, 'no valid session: initialize first with a POST to /mcp');
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return rpcError(res, 400, `invalid request body: ${(error as Error).message}`);
    }
    if (typeof sessionId === 'string') return rpcError(res, 404, 'unknown or expired session: initialize a new one');
    if (!isInitializeRequest(body)) return rpcError(res, 400, 'no valid session: the first request must be initialize');
    if (sessions.size >= maxSessions) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest) endSession(oldest[0]);
    }
    const openerId = auth.id;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, openerId, lastUsed: Date.now() });
      },
      enableDnsRebindingProtection: isLoopback(host),
      allowedHosts,
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    const session: McpSession = {
      engine,
      opener: auth.caller,
      callerOf: (extra: ToolExtra) => (extra.authInfo?.extra?.caller as Caller | undefined) ?? auth.caller,
      sessionOf: (extra: ToolExtra) => extra.sessionId ?? transport.sessionId ?? 'http',
    };
    await createMcpServer(session).connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`hydramem: MCP HTTP request failed: ${String(error)}\n`);
      if (!res.headersSent) rpcError(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const actualPort = (httpServer.address() as AddressInfo).port;
  allowedHosts = [`${host}:${actualPort}`, `localhost:${actualPort}`, `127.0.0.1:${actualPort}`, `[::1]:${actualPort}`];
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}/mcp`,
    port: actualPort,
    sessions: () => sessions.size,
    async close() {
      clearInterval(sweeper);
      for (const id of [...sessions.keys()]) endSession(id);
      cliToken?.remove();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
