import type { Page } from '@playwright/test';

/** What every page must keep at every width and theme: no sideways page scroll, chart labels whole and inside their chart. */
export async function layoutProblems(page: Page, route: string): Promise<string[]> {
  return page.evaluate((where) => {
    const problems: string[] = [];
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 0) problems.push(`${where}: the page is ${overflow} px wider than the window`);
    for (const svg of document.querySelectorAll<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface')) {
      const box = svg.getBoundingClientRect();
      for (const tick of svg.querySelectorAll<SVGTextElement>('.recharts-cartesian-axis-tick text')) {
        const label = tick.getBoundingClientRect();
        const text = tick.textContent ?? '';
        if (tick.querySelectorAll('tspan').length > 1) problems.push(`${where}: axis label "${text}" wraps onto two lines`);
        if (label.left < box.left - 1 || label.right > box.right + 1)
          problems.push(`${where}: axis label "${text}" is cut at the chart's edge`);
      }
    }
    return problems;
  }, route);
}
