import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../../lib/engine/errors';
import type { TimeRange } from '../../lib/request/range';
import { chromiumPath } from '../../lib/report/chromium';
import { DEFAULT_PAPER, parsePaper, type PaperName } from '../../lib/report/paper';
import {
  DEFAULT_REPORT_PAGES,
  parsePages,
  REPORT_PAGES,
  REPORT_WIDTH,
  reportPageUrl,
  reportRange,
  ReportOptionError,
  type ReportPageName,
} from '../../lib/report/report-pages';
import { action, configWith } from '../cli-support';
import { openChromium } from '../report/browser';
import { renderPages } from '../report/render-pages';
import { ownDashboard, runningDashboard, type ReportTarget } from '../report/report-target';
import { MANIFEST_FILE, writeReport } from '../report/write-report';

interface ReportOptions {
  pages: ReportPageName[];
  range?: string;
  from?: string;
  to?: string;
  tz?: string;
  project?: string;
  out: string;
  pdf?: boolean;
  paper?: string;
  url?: string;
  scale: number;
}

const log = (line: string): void => void process.stderr.write(`hydramem report: ${line}\n`);

function pagesOption(value: string): ReportPageName[] {
  try {
    return parsePages(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function scaleOption(value: string): number {
  if (!/^[123]$/.test(value)) throw new InvalidArgumentError('--scale must be 1, 2 or 3.');
  return Number(value);
}

function outputDir(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    fs.mkdirSync(resolved, { recursive: true });
    fs.accessSync(resolved, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way, not a folder' : (code ?? String(error));
    throw new UserError(`cannot write the report into ${resolved}: ${why}.`, 2);
  }
  return resolved;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description("Write PNG images (and a PDF) of the dashboard's report view, with a manifest of what they show")
    .requiredOption('--out <dir>', 'folder for the images, report.pdf and manifest.json (created if missing)')
    .option(`--pages <list>`, `pages, comma-separated: ${Object.keys(REPORT_PAGES).join(', ')}`, pagesOption, [
      ...DEFAULT_REPORT_PAGES,
    ])
    .option('--range <preset>', 'time range ending now (or at --to): 1h, 24h, 7d, 30d, 90d (default 30d)')
    .option('--from <iso>', 'start of a custom range, e.g. 2026-10-01')
    .option('--to <iso>', 'end of the range, e.g. 2026-11-01T00:00Z (default: now)')
    .option('--tz <zone>', 'time zone for dates and day buckets, e.g. Europe/Berlin (default UTC)')
    .option('--project <name>', "project to show (default: the dashboard's first)")
    .option('--pdf', 'also write report.pdf: printable pages, tables continued under their headers')
    .option('--paper <size>', `paper for report.pdf: a4 or letter (default ${DEFAULT_PAPER}); implies --pdf`)
    .option('--url <url>', 'photograph this running dashboard instead of starting one over HYDRAMEM_DATA_DIR')
    .option('--scale <n>', `pixels per CSS pixel: images are ${REPORT_WIDTH} × n wide`, scaleOption, 2)
    .addHelpText(
      'after',
      '\nWithout --url, report starts its own dashboard on a free loopback port over HYDRAMEM_DATA_DIR (with a one-off\n' +
        'secret) and stops it afterwards. With --url, a proxy-mode dashboard is sent DASHBOARD_PROXY_SECRET and the\n' +
        'identity HYDRAMEM_REPORT_USER / HYDRAMEM_REPORT_GROUPS (default hydramem-report in the admin group): use its\n' +
        'loopback address, not Caddy. An OIDC dashboard takes a session cookie in HYDRAMEM_REPORT_COOKIE (name=value).\n' +
        'Chromium: /usr/bin/chromium (apt-get install -y chromium) or HYDRAMEM_CHROMIUM.\n' +
        'Exit codes: 2 bad option, 4 the dashboard cannot read the stores, 5 Chromium missing or not starting,\n' +
        '6 dashboard unreachable or refusing, 7 a page did not finish drawing.',
    )
    .action(action(async (options: ReportOptions) => makeReport(options)));
}

/**
 * The paper for the PDF, or null for no PDF. Checked in the action rather than by Commander, so a
 * wrong value gets one line ("hydramem: …") like every other refused option, not a usage screen.
 */
function paperFrom(options: ReportOptions): PaperName | null {
  if (options.paper === undefined) return options.pdf ? DEFAULT_PAPER : null;
  try {
    return parsePaper(options.paper);
  } catch (error) {
    if (error instanceof ReportOptionError) throw new UserError(`${error.message}.`, 2);
    throw error;
  }
}

/** The report's window from the options; reports cover 30 days unless told otherwise. */
function rangeFrom(options: ReportOptions, now: Date): TimeRange {
  const { from, to, tz } = options;
  try {
    // A custom --from range takes no preset.
    return reportRange({ range: from ? options.range : (options.range ?? '30d'), from, to, tz }, now);
  } catch (error) {
    if (error instanceof ReportOptionError) throw new UserError(error.message, 2);
    throw error;
  }
}

async function makeReport(options: ReportOptions): Promise<void> {
  const createdAt = new Date();
  const range = rangeFrom(options, createdAt);
  const paper = paperFrom(options);
  const config = configWith({});
  const outDir = outputDir(options.out);
  const browser = await openChromium(chromiumPath(process.env), options.scale);
  let target: ReportTarget | null = null;
  try {
    target = options.url
      ? await runningDashboard(options.url, process.env, config.tenant)
      : await ownDashboard(process.env, config.tenant);
    const { baseUrl, own } = target;
    const pages = options.pages.map((page) => ({ page, url: reportPageUrl(baseUrl, page, range, options.project) }));
    log(`${pages.length} page(s), ${range.from.toISOString()} – ${range.to.toISOString()} (${range.timeZone})`);
    const rendered = await renderPages(await browser.context(target), pages, { paper, own });
    const manifest = await writeReport(outDir, range, rendered, createdAt, paper);
    for (const page of manifest.pages) process.stdout.write(`${path.join(outDir, page.file)}  ${page.width}×${page.height}\n`);
    if (manifest.pdf)
      process.stdout.write(`${path.join(outDir, manifest.pdf.file)}  ${manifest.pdf.pages} page(s), ${manifest.pdf.paper}\n`);
    process.stdout.write(`${path.join(outDir, MANIFEST_FILE)}\n`);
  } finally {
    await browser.close();
    await target?.stop();
  }
}
