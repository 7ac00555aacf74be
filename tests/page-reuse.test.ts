import { afterEach, describe, expect, it } from 'vitest';
import {
  forgetSharedPages,
  keptPages,
  MAX_KEPT_BYTES,
  noteIncompleteRender,
  sharedPage,
  withRenderNote,
  type RenderedPage,
} from '../lib/request/page-reuse';

// Rendered pages shared between requests, counted by the test's own render function.
afterEach(() => forgetSharedPages());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function countingRender(page: (run: number) => RenderedPage | null = (run) => pageOf(`page ${run}`)) {
  let runs = 0;
  return {
    runs: () => runs,
    render: async (): Promise<RenderedPage | null> => {
      runs += 1;
      const number = runs;
      await sleep(10);
      return page(number);
    },
  };
}

function pageOf(text: string, bytes = text.length): RenderedPage {
  return { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.alloc(bytes, text), nonce: 'n' };
}

const bodyOf = async (shared: { page: Promise<RenderedPage | null> }) => (await shared.page)?.body.toString().trim();

describe('shared pages', () => {
  it('renders a page many requests ask for at once a single time; the ones after reuse it', async () => {
    const render = countingRender();
    const asked = Array.from({ length: 50 }, () => sharedPage('k', 'stores', 1000, render.render));
    expect(asked.filter((shared) => shared.reused)).toHaveLength(49);
    expect(new Set(await Promise.all(asked.map(bodyOf)))).toEqual(new Set(['page 1']));
    expect(sharedPage('k', 'stores', 1000, render.render).reused).toBe(true);
    expect(await bodyOf(sharedPage('another page or viewer', 'stores', 1000, render.render))).toBe('page 2');
    expect(render.runs()).toBe(2);
  });

  it('renders again once the stores have changed, after reuseMs, and every time with 0', async () => {
    const render = countingRender();
    await sharedPage('k', 'stores at 1', 60_000, render.render).page;
    expect(await bodyOf(sharedPage('k', 'stores at 2', 60_000, render.render))).toBe('page 2');
    await sharedPage('t', 'stores', 50, render.render).page;
    await sleep(80);
    expect(sharedPage('t', 'stores', 50, render.render).reused).toBe(false);
    expect(sharedPage('z', 'stores', 0, render.render).reused).toBe(false);
    expect(sharedPage('z', 'stores', 0, render.render).reused).toBe(false);
  });

  it('after a commit the request that renders again waits for the new page; those during that render get the page before', async () => {
    const render = countingRender();
    await sharedPage('k', 'before the commit', 60_000, render.render).page;
    const first = sharedPage('k', 'after the commit', 60_000, render.render);
    const during = sharedPage('k', 'after the commit', 60_000, render.render);
    const duringAnotherCommit = sharedPage('k', 'after a second commit', 60_000, render.render);
    expect([first.reused, during.reused, duringAnotherCommit.reused]).toEqual([false, true, true]);
    expect(await bodyOf(first)).toBe('page 2');
    expect(await bodyOf(during)).toBe('page 1');
    expect(await bodyOf(duringAnotherCommit)).toBe('page 1');
    expect(await bodyOf(sharedPage('k', 'after the commit', 60_000, render.render))).toBe('page 2');
    expect(render.runs()).toBe(2);
    // The page before serves only while it is younger than reuseMs.
    await sharedPage('old', 'one', 40, render.render).page;
    await sleep(60);
    const again = sharedPage('old', 'two', 40, render.render);
    expect(again.reused).toBe(false);
    expect(await bodyOf(sharedPage('old', 'two', 40, render.render))).toBe('page 4');
    expect(await bodyOf(again)).toBe('page 4');
  });

  it('never renders one page twice at once: a request during a render waits for it, whatever was committed since', async () => {
    let runs = 0;
    let finish: (page: RenderedPage) => void = () => {};
    const slow = (): Promise<RenderedPage | null> => {
      runs += 1;
      return new Promise((resolve) => (finish = resolve));
    };
    const first = sharedPage('k', 'stores at 1', 30, slow);
    // Longer than reuseMs, another page kept and forgotten meanwhile, and the writer commits twice.
    await sleep(50);
    await sharedPage('another page', 'stores at 2', 30, countingRender().render).page;
    await sleep(40);
    const later = [sharedPage('k', 'stores at 2', 30, slow), sharedPage('k', 'stores at 3', 30, slow)];
    expect(later.map((shared) => shared.reused)).toEqual([true, true]);
    expect(runs).toBe(1);
    finish(pageOf('page 1'));
    expect(await Promise.all([first, ...later].map(bodyOf))).toEqual(['page 1', 'page 1', 'page 1']);
    // Once it has ended, the next request renders from the stores as they are now.
    const next = countingRender((run) => pageOf(`after, ${run}`));
    expect(await bodyOf(sharedPage('k', 'stores at 3', 30, next.render))).toBe('after, 1');
  });

  it('keeps no page that could not be kept or failed, and none once it can no longer be used', async () => {
    const render = countingRender((run) => (run === 1 ? null : pageOf(`page ${run}`)));
    expect(await sharedPage('k', 's', 60_000, render.render).page).toBeNull();
    expect(await bodyOf(sharedPage('k', 's', 60_000, render.render))).toBe('page 2');
    const failed = sharedPage('thrown', 's', 60_000, () => Promise.reject(new Error('render failed')));
    await expect(failed.page).rejects.toThrow('render failed');
    expect(sharedPage('thrown', 's', 60_000, render.render).reused).toBe(false);
    forgetSharedPages();
    await sharedPage('brief', 's', 40, render.render).page;
    expect(keptPages().pages).toBe(1);
    await sleep(80);
    expect(keptPages()).toEqual({ pages: 0, bytes: 0 });
  });

  it('holds at most MAX_KEPT_BYTES, the oldest pages going first', async () => {
    const size = Math.floor(MAX_KEPT_BYTES / 3) + 1;
    for (const key of ['a', 'b', 'c', 'd']) await sharedPage(key, 's', 60_000, async () => pageOf(key, size)).page;
    expect(keptPages().bytes).toBeLessThanOrEqual(MAX_KEPT_BYTES);
    expect(sharedPage('a', 's', 60_000, async () => pageOf('a again')).reused).toBe(false);
    expect(sharedPage('d', 's', 60_000, async () => pageOf('d again')).reused).toBe(true);
  });

  it('a render note says whether every read of that render, and only that one, gave data', async () => {
    const whole = withRenderNote(async () => {
      await sleep(5);
    });
    const partial = withRenderNote(async () => {
      await sleep(5);
      noteIncompleteRender();
    });
    await Promise.all([whole.result, partial.result]);
    expect(whole.complete()).toBe(true);
    expect(partial.complete()).toBe(false);
    // Outside any render the note goes nowhere.
    expect(() => noteIncompleteRender()).not.toThrow();
  });
});
