import type { ReactNode } from 'react';
import type { ReadResult } from '@/lib/request/read-result';
import type { RequestContext } from '@/lib/request/request-context';
import { REPORT_WIDTH } from '@/lib/report/report-pages';
import { PageNotes } from '../page-notes';
import { ReportHeader } from './report-header';

/**
 * A page as it goes into a report: fixed width, light theme, no navigation or controls (elements
 * marked `report:hidden` disappear), no animation (globals.css), and the report header.
 */
export function ReportFrame({
  context,
  asOf,
  title,
  children,
}: {
  context: RequestContext;
  asOf: ReadResult<string | null> | null;
  title: string;
  children: ReactNode;
}) {
  return (
    <div data-view="report" className="mx-auto bg-white px-8 py-6 text-slate-900" style={{ width: REPORT_WIDTH }}>
      <ReportHeader context={context} asOf={asOf} title={title} />
      <PageNotes context={context} />
      <main className="mt-4">{children}</main>
    </div>
  );
}
