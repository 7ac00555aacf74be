import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How long after its last request the dashboard collects its garbage once. */
export const IDLE_COLLECT_MS = 10_000;

/**
 * One full garbage collection once the server has had no request for IDLE_COLLECT_MS: V8 keeps the
 * heap that a busy spell grew (20 MB and more after a page run), and a tenant's dashboard spends
 * most of its life waiting. Needs gc() exposed (--expose-gc, which bin/hydramem.cjs passes); without
 * it, nothing happens. `letGo` runs first: what the server keeps for busy spells only (the shared
 * reads, all past their second by then) is dropped so that the collection can free it.
 */
export function collectWhenIdle(server: Server, letGo: () => void = () => {}, idleMs = IDLE_COLLECT_MS): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return;
  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    open += 1;
    clearTimeout(timer);
    res.once('close', () => {
      open -= 1;
      if (open > 0) return;
      timer = setTimeout(() => {
        letGo();
        collect();
      }, idleMs).unref();
    });
  });
}
