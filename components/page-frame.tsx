import type { ReactNode } from 'react';
import { describeRange } from '@/lib/report/describe-range';
import type { StoreProblemInfo } from '@/lib/read/read-model';
import type { DashboardPage } from '@/lib/request/dashboard-page';
import { visibleControls } from '@/lib/request/display-text';
import type { ReadResult } from '@/lib/request/read-result';
import { ChartFactsProvider } from './charts/chart-facts';
import { PageNotes } from './page-notes';
import { ReportFrame } from './report/report-frame';
import { StoreProblem } from './store-problem';

/** Each store problem among a page's reads once (several widgets read the same store). */
function storeProblems(results: ReadonlyArray<ReadResult<unknown>>): StoreProblemInfo[] {
  const seen = new Map<string, StoreProblemInfo>();
  for (const result of results) if (!result.ok && result.kind === 'store') seen.set(result.problem.store, result.problem);
  return [...seen.values()];
}

/**
 * A page's own part of the screen (the layout draws the header and navigation once): its title,
 * the notes on the request, each store problem its reads met, then its widgets. In the report
 * view, the report frame instead, with its header of tenant, range and "data as of".
 */
export function PageFrame({
  page,
  title,
  results = [],
  children,
}: {
  page: DashboardPage;
  title: string;
  /** The reads whose store problems the page explains (leave out those it expects, like a Python file's graph). */
  results?: ReadonlyArray<ReadResult<unknown>>;
  children: ReactNode;
}) {
  // A title may carry text from the URL (a user's identifier): its controls are shown, not obeyed.
  const shownTitle = visibleControls(title);
  const problems = storeProblems(results);
  const { tenant, project, range } = page.context;
  // The page's charts print these under their PNGs, as the request path decided them.
  const facts = { tenant, project, range: describeRange(range), timeZone: range.timeZone };
  const body = (
    <ChartFactsProvider facts={facts}>
      {problems.length > 0 && (
        <div className="mb-4 space-y-3">
          {problems.map((problem) => (
            <StoreProblem key={problem.store} problem={problem} />
          ))}
        </div>
      )}
      {children}
    </ChartFactsProvider>
  );
  if (page.context.report)
    return (
      <ReportFrame context={page.context} asOf={page.reportAsOf} title={shownTitle}>
        {body}
      </ReportFrame>
    );
  return (
    <>
      <h1 className="text-xl font-semibold">{shownTitle}</h1>
      <PageNotes context={page.context} />
      <div className="mt-4">{body}</div>
    </>
  );
}
