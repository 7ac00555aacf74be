import { formatInstant } from '../format';

/** Whose data a chart draws and for which window: what a PNG needs to make sense away from the page. */
export interface ChartFacts {
  tenant: string;
  project: string;
  /** The range as the report header prints it ("Last 30 days: 2 Oct 2026, 08:30 – 1 Nov 2026, 07:30"). */
  range: string;
  timeZone: string;
}

/** The footer's parts, in order: tenant, project, range, time zone, and when the image was made. */
export function chartFooterParts(facts: ChartFacts, madeAt: Date): string[] {
  return [
    `tenant ${facts.tenant}`,
    `project ${facts.project}`,
    facts.range,
    facts.timeZone,
    `made ${formatInstant(madeAt, facts.timeZone)}`,
  ];
}

const SEPARATOR = ' · ';

/** The footer line of an exported chart: "tenant · project · range · time zone · made <time>". */
export function chartFooterText(facts: ChartFacts, madeAt: Date): string {
  return chartFooterParts(facts, madeAt).join(SEPARATOR);
}

/**
 * The footer's parts in as few lines as fit `maxWidth` (as `measure` reports text widths): a
 * half-width chart is narrower than the whole line, and a part is never split, so a range or a
 * time is always read whole. A part wider than the line gets a line of its own.
 */
export function wrapFooter(parts: readonly string[], maxWidth: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const longer = line ? `${line}${SEPARATOR}${part}` : part;
    if (line && measure(longer) > maxWidth) {
      lines.push(line);
      line = part;
    } else line = longer;
  }
  if (line) lines.push(line);
  return lines;
}
