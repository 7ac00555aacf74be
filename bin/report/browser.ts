import fs from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { UserError } from '../../lib/engine/errors';
import { CHROMIUM_ARGS } from '../../lib/report/chromium';
import { REPORT_WIDTH } from '../../lib/report/report-pages';
import type { ReportTarget } from './report-target';

/** Exit code when Chromium is missing or does not start. */
export const CHROMIUM_EXIT = 5;

export interface ReportBrowser {
  /** A fresh profile that carries the target's headers and cookies on every request. */
  context(target: ReportTarget): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, driven by Playwright; a clear message when it is not there. */
export async function openChromium(executablePath: string, scale: number): Promise<ReportBrowser> {
  if (!fs.existsSync(executablePath)) {
    throw new UserError(
      `Chromium is not installed at ${executablePath}: install Debian's package (sudo apt-get install -y chromium) ` +
        'or set HYDRAMEM_CHROMIUM to the path of a Chromium binary.',
      CHROMIUM_EXIT,
    );
  }
  // Loaded here, not at start: the other commands never need a browser.
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    throw new UserError(`Chromium at ${executablePath} did not start: ${first}`, CHROMIUM_EXIT);
  }
  return {
    context: async (target) => {
      const context = await browser.newContext({
        viewport: { width: REPORT_WIDTH, height: 900 },
        deviceScaleFactor: scale,
        colorScheme: 'light',
        reducedMotion: 'reduce',
        locale: 'en-GB',
        timezoneId: 'UTC',
        extraHTTPHeaders: target.headers,
      });
      if (target.cookies.length > 0)
        await context.addCookies(target.cookies.map((cookie) => ({ ...cookie, url: target.baseUrl })));
      return context;
    },
    close: () => browser.close(),
  };
}
