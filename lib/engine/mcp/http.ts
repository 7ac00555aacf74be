import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Engine } from '../engine';
import { createMcpServer } from './tools';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpMcpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function rpcError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });
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

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * MCP over Streamable HTTP at /mcp, one stateful session per client (the session id is what
 * telemetry records), plus /healthz. On loopback, Host headers are checked against DNS rebinding.
 */
export async function startHttpMcp(engine: Engine, host: string, port: number): Promise<HttpMcpServer> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok', project: engine.project });
    if (pathname !== '/mcp') return sendJson(res, 404, { error: 'not found: the MCP endpoint is /mcp' });
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (req.method !== 'POST') return rpcError(res, 400, 'no valid session: initialize first with a POST to /mcp');
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return rpcError(res, 400, `invalid request body: ${(error as Error).message}`);
    }
    if (typeof sessionId === 'string') return rpcError(res, 404, 'unknown or expired session: initialize a new one');
    if (!isInitializeRequest(body)) return rpcError(res, 400, 'no valid session: the first request must be initialize');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        transports.set(id, transport);
      },
      enableDnsRebindingProtection: isLoopback(host),
      allowedHosts,
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    const server = createMcpServer(engine, 'http');
    await server.connect(transport);
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
    async close() {
      for (const transport of transports.values()) await transport.close().catch(() => undefined);
      transports.clear();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
