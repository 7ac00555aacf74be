'use client';

import { chartCsv, chartFileName, type CsvColumn } from '@/lib/charts/chart-csv';
import { chartFooterParts, wrapFooter, type ChartFacts } from '@/lib/charts/chart-footer';
import type { Cell } from '@/lib/exports/csv';
import { useChartFacts } from './chart-facts';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The title and note shown above the chart (its panel's), so the PNG is headed as the page is. */
function shownHeading(figure: HTMLElement, fallback: string): { title: string; note: string | null } {
  const panel = figure.closest('section');
  const title = panel?.querySelector('[data-panel-title]')?.textContent?.trim();
  const note = panel?.querySelector('[data-panel-note]')?.textContent?.trim();
  return { title: title || fallback, note: note || null };
}

const FOOTER_FONT = '11px system-ui, sans-serif';
const FOOTER_LINE = 15;

/**
 * The chart's SVG drawn onto a canvas at twice its size, on the page's background colour, under
 * the title (and note) shown on screen, with the legend and a footer of tenant, project, range,
 * time zone and time made: pasted into a report, the image still says whose data it is and when.
 * Text and axes use currentColor, so the figure's colour is written onto the SVG before it is serialised.
 */
async function svgToPng(
  figure: HTMLElement,
  heading: { title: string; note: string | null },
  legend: readonly LegendItem[],
  facts: ChartFacts | null,
): Promise<Blob | null> {
  // The chart's own surface, not the legend's icons (which are small recharts-surface SVGs too).
  const svg = figure.querySelector<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface');
  if (!svg) return null;
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.style.color = getComputedStyle(figure).color;
  copy.style.fontFamily = getComputedStyle(figure).fontFamily;
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d');
  if (!context) return null;
  // The footer wraps to the chart's width; measured before the canvas is sized (sizing resets the context).
  context.font = FOOTER_FONT;
  const footer = facts
    ? wrapFooter(chartFooterParts(facts, new Date()), width - 16, (text) => context.measureText(text).width)
    : [];
  const top = heading.note ? 44 : 28;
  const legendRow = legend.length > 0 ? 28 : 8;
  const footerRows = footer.length > 0 ? 8 + footer.length * FOOTER_LINE : 0;
  canvas.width = Math.round(width * 2);
  canvas.height = Math.round((height + top + legendRow + footerRows) * 2);
  const text = getComputedStyle(figure).color;
  context.fillStyle = getComputedStyle(document.body).backgroundColor || '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.scale(2, 2);
  context.fillStyle = text;
  context.font = '600 13px system-ui, sans-serif';
  context.fillText(heading.title, 8, 18);
  if (heading.note) {
    context.font = FOOTER_FONT;
    context.fillText(heading.note, 8, 34);
  }
  context.drawImage(image, 0, top, width, height);
  context.font = '12px system-ui, sans-serif';
  let x = 8;
  for (const item of legend) {
    context.fillStyle = item.color;
    context.fillRect(x, top + height + 9, 10, 10);
    context.fillStyle = text;
    context.fillText(item.label, x + 14, top + height + 18);
    x += 24 + context.measureText(item.label).width;
  }
  context.font = FOOTER_FONT;
  context.fillStyle = text;
  footer.forEach((line, index) => context.fillText(line, 8, top + height + legendRow + 4 + (index + 1) * FOOTER_LINE - 3));
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

export interface LegendItem {
  label: string;
  color: string;
}

/** "PNG" and "CSV" buttons under a chart. */
export function ChartDownloads({
  title,
  data,
  columns,
  legend = [],
}: {
  title: string;
  data: ReadonlyArray<Record<string, Cell>>;
  columns: readonly CsvColumn[];
  legend?: readonly LegendItem[];
}) {
  const facts = useChartFacts();
  const button = 'rounded px-1.5 py-0.5 text-xs text-slate-600 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800';
  return (
    <div className="flex justify-end gap-1 print:hidden report:hidden" data-chart-downloads>
      <button
        type="button"
        className={button}
        aria-label={`Download ${title} as PNG`}
        onClick={(event) => {
          const figure = event.currentTarget.closest('figure');
          if (!figure) return;
          const heading = shownHeading(figure, title);
          void svgToPng(figure, heading, legend, facts).then(
            (blob) => blob && download(blob, chartFileName(heading.title, 'png')),
          );
        }}
      >
        PNG
      </button>
      <button
        type="button"
        className={button}
        aria-label={`Download ${title} data as CSV`}
        onClick={() => download(new Blob([chartCsv(data, columns)], { type: 'text/csv' }), chartFileName(title, 'csv'))}
      >
        CSV
      </button>
    </div>
  );
}
