import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { collectWhenIdle } from '../bin/idle-collect';

// The idle collection over a real HTTP server, with gc() stood in for by a counter.
const holder = globalThis as { gc?: () => void };
const exposed = holder.gc;
afterEach(() => {
  holder.gc = exposed;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serverWith(
  handler: http.RequestListener,
): Promise<{ url: string; close: () => Promise<void>; server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('collecting once the dashboard is idle', () => {
  it('collects once after the last request, never while one is open', async () => {
    const steps: string[] = [];
    holder.gc = () => void steps.push('gc');
    const letGo = (): void => void steps.push('let go');
    const collections = (): number => steps.filter((step) => step === 'gc').length;
    let release: () => void = () => {};
    const served = await serverWith((req, res) => {
      if (req.url === '/slow') release = () => res.end('slow');
      else res.end('quick');
    });
    collectWhenIdle(served.server, letGo, 60);
    try {
      const slow = fetch(`${served.url}/slow`).then((response) => response.text());
      await sleep(20);
      for (let round = 0; round < 3; round += 1) await (await fetch(served.url)).text();
      await sleep(120);
      expect(collections()).toBe(0);
      release();
      expect(await slow).toBe('slow');
      await sleep(120);
      // What the server keeps for busy spells is let go of just before the collection.
      expect(steps).toEqual(['let go', 'gc']);
      await sleep(120);
      expect(collections()).toBe(1);
    } finally {
      await served.close();
    }
  });

  it('does nothing when gc() is not exposed', async () => {
    delete holder.gc;
    const served = await serverWith((_req, res) => res.end('ok'));
    collectWhenIdle(served.server, () => {}, 10);
    try {
      expect((await fetch(served.url)).status).toBe(200);
      await sleep(40);
    } finally {
      await served.close();
    }
  });
});
