import type { BrowserContext, Page, Response } from 'playwright-core';
import { UserError } from '../../lib/engine/errors';
import type { RenderedHeader } from '../../lib/report/manifest';
import type { PaperName } from '../../lib/report/paper';
import type { ReportPageName } from '../../lib/report/report-pages';
import { printPdf } from './print-pdf';
import { UNREACHABLE_EXIT } from './report-target';

/** Exit code when the dashboard cannot read the stores (as for every command: a store that cannot be used). */
const STORE_EXIT = 4;
/** Exit code when a page never finishes drawing. */
export const DRAW_EXIT = 7;
const PAGE_TIMEOUT_MS = 60_000;

export interface RenderedPage {
  page: ReportPageName;
  url: string;
  png: Buffer;
  pdf: Buffer | null;
  header: RenderedHeader;
}

/** Why the dashboard did not show the page, in words that say what to change. */
function refusal(response: Response | null, url: string, own: boolean): string | null {
  if (!response) return `the dashboard gave no answer for ${url}`;
  const landed = new URL(response.url());
  const status = response.status();
  if (status === 401 || landed.pathname.endsWith('/signin') || landed.origin !== new URL(url).origin) {
    return own
      ? 'the report was refused by the dashboard it started (401): please report this as a bug'
      : `the dashboard at ${new URL(url).origin} asked for a sign-in (${status} at ${landed.pathname}): for a proxy-mode ` +
          'dashboard set DASHBOARD_PROXY_SECRET (and HYDRAMEM_REPORT_USER/HYDRAMEM_REPORT_GROUPS) and point --url at its ' +
          'loopback port, not at Caddy; for an OIDC one set HYDRAMEM_REPORT_COOKIE to a session cookie, or run ' +
          '`hydramem report` without --url on the tenant host';
  }
  if (status === 403)
    return 'the dashboard knows the report identity but gives it no role: set HYDRAMEM_REPORT_GROUPS to an admin or support group of this tenant';
  if (status >= 400) return `the dashboard answered ${status} for ${url}`;
  return null;
}

/** The page is ready when the report header is there, no skeleton is left, and every chart's SVG fills its frame. */
function chartsDrawn(): boolean {
  const view = document.querySelector('[data-view="report"]');
  if (!view || document.querySelector('[data-skeleton]')) return false;
  return [...view.querySelectorAll('[data-chart]')].every((chart) => {
    const svg = chart.querySelector('.recharts-wrapper > svg.recharts-surface');
    if (!svg) return false;
    const drawn = svg.getBoundingClientRect();
    return drawn.height > 0 && Math.abs(drawn.width - chart.getBoundingClientRect().width) < 1;
  });
}

function readHeader(): RenderedHeader {
  const header = document.querySelector<HTMLElement>('[data-testid="report-header"]');
  const data = header?.dataset ?? {};
  return {
    tenant: data.tenant ?? '',
    project: data.project ?? '',
    from: data.from ?? '',
    to: data.to ?? '',
    preset: data.preset ?? '',
    timeZone: data.timeZone ?? '',
    asOf: data.asOf || null,
    version: data.version ?? '',
  };
}

async function settle(tab: Page, page: ReportPageName): Promise<void> {
  try {
    await tab.waitForFunction(chartsDrawn, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  } catch {
    throw new UserError(`the ${page} page did not finish drawing its charts within ${PAGE_TIMEOUT_MS / 1000} s.`, DRAW_EXIT);
  }
  await tab.evaluate(async () => {
    await document.fonts.ready;
    // Two frames: the last layout is painted before the picture is taken.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

/** The dashboard's explanation when it cannot use a store: a picture of that is no report. */
async function storeProblem(tab: Page): Promise<string | null> {
  const panel = tab.locator('[data-store-problem]').first();
  if ((await panel.count()) === 0) return null;
  const lines = await panel.locator('p').allInnerTexts();
  return lines.join('\n  ');
}

/** Loads each page's report view, waits until it is drawn, and takes its picture (and its printed pages). */
export async function renderPages(
  context: BrowserContext,
  pages: ReadonlyArray<{ page: ReportPageName; url: string }>,
  options: { paper: PaperName | null; own: boolean },
): Promise<RenderedPage[]> {
  const tab = await context.newPage();
  const rendered: RenderedPage[] = [];
  for (const { page, url } of pages) {
    let response: Response | null;
    try {
      response = await tab.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    } catch (error) {
      throw new UserError(`cannot load ${url}: ${(error as Error).message.split('\n')[0]}`, UNREACHABLE_EXIT);
    }
    const refused = refusal(response, url, options.own);
    if (refused) throw new UserError(refused, UNREACHABLE_EXIT);
    // The document has streamed in full at "load": no report view now means this is not our dashboard.
    if (!(await tab.$('[data-view="report"]')))
      throw new UserError(
        `${url} is not a HydraMem dashboard's report view: is --url the dashboard's address?`,
        UNREACHABLE_EXIT,
      );
    await settle(tab, page);
    const problem = await storeProblem(tab);
    if (problem) throw new UserError(`the ${page} page cannot show the data: ${problem}`, STORE_EXIT);
    const png = await tab.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
    const header = await tab.evaluate(readHeader);
    const pdf = options.paper ? await printPdf(tab, options.paper) : null;
    rendered.push({ page, url, png, pdf, header });
  }
  await tab.close();
  return rendered;
}
