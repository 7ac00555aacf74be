import type { IncomingMessage, ServerResponse } from 'node:http';
import { isSignInPath } from '../lib/auth/gate';
import { NONCE_HEADER, VIEWER_HEADER } from '../lib/auth/viewer';
import { MAX_PAGE_BYTES, sharedPage, withRenderNote, type RenderedPage } from '../lib/request/page-reuse';

/** Says whether a page was rendered for this request or is another request's rendering. */
export const PAGE_HEADER = 'x-hydramem-page';

/** Headers of the connection or of this one response: never copied from a kept page. */
const PER_RESPONSE = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * A whole page a signed viewer asked for with a plain GET. Not Next's own navigations and
 * prefetches (RSC requests, which depend on the router state they send), its assets, API routes or
 * the sign-in pages, whose answers carry per-visitor tokens.
 */
export function isSharablePageRequest(req: IncomingMessage, pathname: string): boolean {
  if (req.method !== 'GET' || !req.headers[VIEWER_HEADER] || !req.headers[NONCE_HEADER]) return false;
  if (pathname.startsWith('/_next/') || pathname.startsWith('/api/') || isSignInPath(pathname)) return false;
  return !Object.keys(req.headers).some((name) => name === 'rsc' || name.startsWith('next-'));
}

/** Copies what Next writes to the response, up to MAX_PAGE_BYTES (null past it). */
function recordBody(res: ServerResponse): () => Buffer | null {
  const chunks: Buffer[] = [];
  let size = 0;
  const record = (chunk: unknown, encoding: unknown): void => {
    if (chunk == null || typeof chunk === 'function' || size > MAX_PAGE_BYTES) return;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    chunks.push(bytes);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    record(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    record(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  return () => (size > MAX_PAGE_BYTES ? null : Buffer.concat(chunks));
}

/** Whether the response ended with everything sent (not cut off by the client going away). */
function sent(res: ServerResponse): Promise<boolean> {
  if (res.writableFinished) return Promise.resolve(true);
  return new Promise((resolve) => {
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}

/** Renders the page for this request, as it streams, and returns it if it may be kept. */
async function renderAndKeep(
  req: IncomingMessage,
  res: ServerResponse,
  handle: Handle,
  nonce: string,
): Promise<RenderedPage | null> {
  res.setHeader(PAGE_HEADER, 'rendered');
  const body = recordBody(res);
  const finished = sent(res);
  const render = withRenderNote(() => handle(req, res));
  await render.result;
  if (!(await finished) || !render.complete() || res.statusCode !== 200) return null;
  const headers: RenderedPage['headers'] = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined && !PER_RESPONSE.has(name)) headers[name] = Array.isArray(value) ? value : String(value);
  }
  const type = headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('text/html') || headers['set-cookie'] || headers['content-encoding'])
    return null;
  const bytes = body();
  return bytes ? { status: res.statusCode, headers, body: bytes, nonce } : null;
}

/** `from` with every occurrence of one nonce replaced by another of the same length. */
function withNonce(from: Buffer, kept: string, nonce: string): Buffer {
  const old = Buffer.from(kept, 'utf8');
  const fresh = Buffer.from(nonce, 'utf8');
  const copy = Buffer.from(from);
  for (let at = copy.indexOf(old); at !== -1; at = copy.indexOf(old, at + old.length)) fresh.copy(copy, at);
  return copy;
}

/** Sends a kept page as this response: its headers and body, with this response's nonce. */
function replay(res: ServerResponse, page: RenderedPage, nonce: string): void {
  const swap = (value: string): string => value.replaceAll(page.nonce, nonce);
  for (const [name, value] of Object.entries(page.headers))
    res.setHeader(name, Array.isArray(value) ? value.map(swap) : swap(value));
  const body = withNonce(page.body, page.nonce, nonce);
  res.setHeader('content-length', body.length);
  res.setHeader(PAGE_HEADER, 'reused');
  res.writeHead(page.status);
  res.end(body);
}

/**
 * Answers a request the gate let through: a sharable page from the rendering another request of
 * the same page and viewer got from unchanged stores (lib/request/page-reuse.ts), anything else by
 * Next. `stores` names the stores' files as they are now; `reuseMs` 0 renders every request.
 */
export async function servePage(
  req: IncomingMessage,
  res: ServerResponse,
  handle: Handle,
  options: { stores: () => string; reuseMs: number },
): Promise<void> {
  if (options.reuseMs <= 0 || !isSharablePageRequest(req, (req.url ?? '/').split('?')[0] ?? '/')) return handle(req, res);
  // Kept as sent, uncompressed, so that a replay can put its own nonce in (Caddy compresses).
  delete req.headers['accept-encoding'];
  const nonce = String(req.headers[NONCE_HEADER]);
  const key = `${req.headers.host ?? ''}\n${req.url ?? ''}\n${String(req.headers[VIEWER_HEADER])}`;
  const shared = sharedPage(key, options.stores(), options.reuseMs, () => renderAndKeep(req, res, handle, nonce));
  if (!shared.reused) {
    await shared.page;
    return;
  }
  const page = await shared.page.catch(() => null);
  if (res.destroyed) return;
  if (page) replay(res, page, nonce);
  else await handle(req, res);
}
