import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Rendered pages shared between requests, as read-reuse.ts shares reads: the same page (address
 * and signed viewer) asked again while neither store has changed, within DASHBOARD_READ_REUSE_MS,
 * is answered with the first rendering, and one asked while it renders waits for it. Fifty viewers
 * of one page then cost one render, not fifty: rendering is the dashboard's main-thread work.
 *
 * Once the writer commits, the next request renders the page again and sees the commit; requests
 * that come while that render runs get the page before it (if it is younger than reuseMs) rather
 * than queue behind it, as a cache serves stale while it revalidates. A page is never rendered twice
 * at once: a request that comes while it renders waits for that render even if the writer has
 * committed since it began. Rendering beside it would only slow both on the one main thread: with a
 * writer committing every 250 ms and renders slower than that under load, every request started its
 * own, and fifty viewers of the query log got under one page a second.
 *
 * Only a page rendered whole is kept: a read that failed or ran over its budget marks the render
 * (noteIncompleteRender), and such a page is rendered again for the next request, as its reads are.
 * This module keeps the pages; bin/page-replay.ts captures and replays them over HTTP. Kept on
 * globalThis, so the command line and Next's bundles share one store and one render note.
 */

/** One rendered page, as it was sent. */
export interface RenderedPage {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** The CSP nonce it was rendered with: a replay puts its own in its place. */
  nonce: string;
}

interface Entry {
  /** The stores as they were when the render started. */
  stores: string;
  startedAt: number;
  /** When it can no longer be used: startedAt + reuseMs. */
  expiresAt: number;
  /** The page, or null when it could not be kept (not a whole, plain 200 page). */
  page: Promise<RenderedPage | null>;
  /** The page once rendered and kept; null while it renders (an entry whose render failed is dropped). */
  done: RenderedPage | null;
  /** While this render runs: the page before it, rendered less than reuseMs before it started. */
  previous: RenderedPage | null;
  bytes: number;
}

/** What a render found: whether every read it made answered with data. */
interface RenderNote {
  complete: boolean;
}

/** Room for a few hundred pages; the oldest go first beyond it. */
export const MAX_KEPT_BYTES = 32 * 1024 * 1024;
/** A page larger than this is never kept. */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

const PAGES = Symbol.for('hydramem.page-reuse');
const NOTES = Symbol.for('hydramem.page-render-note');
const holder = globalThis as { [PAGES]?: Map<string, Entry>; [NOTES]?: AsyncLocalStorage<RenderNote> };

function entries(): Map<string, Entry> {
  holder[PAGES] ??= new Map();
  return holder[PAGES];
}

function notes(): AsyncLocalStorage<RenderNote> {
  holder[NOTES] ??= new AsyncLocalStorage();
  return holder[NOTES];
}

/** Called by the reader for a read without data: the page being rendered is not to be kept. */
export function noteIncompleteRender(): void {
  const note = notes().getStore();
  if (note) note.complete = false;
}

/** Runs a render, telling `done` at its end whether every read in it answered with data. */
export function withRenderNote<T>(render: () => T): { result: T; complete: () => boolean } {
  const note: RenderNote = { complete: true };
  const result = notes().run(note, render);
  return { result, complete: () => note.complete };
}

function keptBytes(map: Map<string, Entry>): number {
  let total = 0;
  for (const entry of map.values()) total += entry.bytes;
  return total;
}

/** Drops the pages past their time, then the oldest while more than MAX_KEPT_BYTES are held. */
function forgetOld(map: Map<string, Entry>, now: number): void {
  for (const [key, entry] of map) if (entry.expiresAt <= now && entry.done) map.delete(key);
  let total = keptBytes(map);
  for (const [key, entry] of map) {
    if (total <= MAX_KEPT_BYTES) return;
    map.delete(key);
    total -= entry.bytes;
  }
}

/**
 * The kept page for `key` if one was rendered (or is rendering) from the stores as they are now,
 * less than `reuseMs` ago; otherwise starts `render` and keeps its page for the requests after.
 * `key` must name everything the page depends on apart from the stores and the time.
 */
export function sharedPage(
  key: string,
  stores: string,
  reuseMs: number,
  render: () => Promise<RenderedPage | null>,
): { reused: boolean; page: Promise<RenderedPage | null> } {
  if (reuseMs <= 0) return { reused: false, page: render() };
  const map = entries();
  const now = Date.now();
  const known = map.get(key);
  // While the page renders: the page before it if there is one (it is being rendered again after a
  // commit), else that render, whatever has been committed since it began.
  if (known && !known.done) return { reused: true, page: known.previous ? Promise.resolve(known.previous) : known.page };
  if (known && known.stores === stores && now - known.startedAt < reuseMs) return { reused: true, page: known.page };
  const previous = known?.done && now - known.startedAt < reuseMs ? known.done : null;
  const entry: Entry = {
    stores,
    startedAt: now,
    expiresAt: now + reuseMs,
    page: render(),
    done: null,
    previous,
    bytes: 0,
  };
  map.delete(key);
  map.set(key, entry);
  forgetOld(map, now);
  const forget = (): void => {
    if (map.get(key) === entry) map.delete(key);
  };
  entry.page.then(
    (page) => {
      entry.previous = null;
      if (!page) return forget();
      entry.done = page;
      entry.bytes = page.body.length;
      forgetOld(map, Date.now());
      // An idle dashboard holds no pages: each goes when it can no longer be used.
      setTimeout(forget, Math.max(0, entry.expiresAt - Date.now())).unref();
    },
    () => {
      entry.previous = null;
      forget();
    },
  );
  return { reused: false, page: entry.page };
}

/** How many pages are kept and their bytes (tests, diagnostics). */
export function keptPages(): { pages: number; bytes: number } {
  const map = entries();
  return { pages: map.size, bytes: keptBytes(map) };
}

/** Forgets every kept page (tests). */
export function forgetSharedPages(): void {
  entries().clear();
}
