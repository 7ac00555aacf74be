import type { Page } from 'playwright-core';
import { PAPERS, PRINT_MARGIN_MM, printScale, type PaperName } from '../../lib/report/paper';

/** What the footer of every printed page says, read from the report header the page drew. */
interface PrintFacts {
  title: string;
  tenant: string;
  project: string;
  range: string;
}

function readPrintFacts(): PrintFacts {
  const data = document.querySelector<HTMLElement>('[data-testid="report-header"]')?.dataset ?? {};
  return { title: data.title ?? '', tenant: data.tenant ?? '', project: data.project ?? '', range: data.range ?? '' };
}

/** Text into Chromium's footer template, which is HTML: a title may carry a user's identifier. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A sheet that has strayed from its report still says what it is and where it belongs. */
function footerTemplate(facts: PrintFacts): string {
  const line = [facts.title, `tenant ${facts.tenant}`, `project ${facts.project}`, facts.range].map(escapeHtml).join(' · ');
  // The template is drawn unscaled, with no styles of the page: font size and margins are its own.
  return (
    `<div style="font: 8px system-ui, sans-serif; color: #475569; width: 100%; margin: 0 ${PRINT_MARGIN_MM.left}mm; ` +
    `display: flex; justify-content: space-between;"><span>${line}</span>` +
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
  );
}

/**
 * The page's report view on sheets of paper: Chromium paginates it with the print styles
 * (globals.css: table headers repeated, no row or chart cut in two), so a long page becomes
 * several sheets instead of one sheet as tall as the page.
 */
export async function printPdf(tab: Page, paper: PaperName): Promise<Buffer> {
  const facts = await tab.evaluate(readPrintFacts);
  await tab.emulateMedia({ media: 'print' });
  try {
    const mm = (value: number): string => `${value}mm`;
    return await tab.pdf({
      width: mm(PAPERS[paper].widthMm),
      height: mm(PAPERS[paper].heightMm),
      scale: printScale(paper),
      printBackground: true,
      margin: {
        top: mm(PRINT_MARGIN_MM.top),
        right: mm(PRINT_MARGIN_MM.right),
        bottom: mm(PRINT_MARGIN_MM.bottom),
        left: mm(PRINT_MARGIN_MM.left),
      },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(facts),
    });
  } finally {
    // The next page's picture is of the screen, as the dashboard shows it.
    await tab.emulateMedia({ media: 'screen' });
  }
}
