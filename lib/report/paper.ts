import { REPORT_WIDTH, ReportOptionError } from './report-pages';

/** A sheet of paper in millimetres. */
interface Paper {
  widthMm: number;
  heightMm: number;
}

/** The paper a report's PDF is printed on, by the name `--paper` uses (Letter is 8.5 × 11 in). */
export const PAPERS = {
  a4: { widthMm: 210, heightMm: 297 },
  letter: { widthMm: 215.9, heightMm: 279.4 },
} as const satisfies Record<string, Paper>;
export type PaperName = keyof typeof PAPERS;
export const DEFAULT_PAPER: PaperName = 'a4';

/** Margins of a printed page; the bottom one holds the footer line (title, tenant, page n of m). */
export const PRINT_MARGIN_MM = { top: 10, right: 10, bottom: 14, left: 10 } as const;

const CSS_PX_PER_MM = 96 / 25.4;
const PT_PER_MM = 72 / 25.4;

/** The sheet's size in PDF points (A4 is 595.28 × 841.89, Letter 612 × 792). */
export function paperPoints(paper: PaperName): { width: number; height: number } {
  return { width: PAPERS[paper].widthMm * PT_PER_MM, height: PAPERS[paper].heightMm * PT_PER_MM };
}

export function parsePaper(text: string): PaperName {
  const name = text.trim().toLowerCase();
  if (!Object.hasOwn(PAPERS, name))
    throw new ReportOptionError(`--paper takes ${Object.keys(PAPERS).join(' or ')}, not "${text}"`);
  return name as PaperName;
}

/**
 * How much the report view shrinks to fit between the paper's side margins. The view keeps its
 * 1200 px layout (its charts were measured at that width), so the paper gets the same picture as
 * the PNG, only smaller; rounded down so the last pixel column is never cut off.
 */
export function printScale(paper: PaperName): number {
  const printable = (PAPERS[paper].widthMm - PRINT_MARGIN_MM.left - PRINT_MARGIN_MM.right) * CSS_PX_PER_MM;
  return Math.floor((printable / REPORT_WIDTH) * 1000) / 1000;
}
