import type { ReactNode } from 'react';
import type { PageContext } from '@/lib/queries/page-context';
import { REPORT_WIDTH } from '@/lib/report/report-pages';
import { PageNotes } from '../page-notes';
import { ReportHeader } from './report-header';

/**
 * A page as it goes into a report: fixed width, light theme, no navigation or controls (elements
 * marked `report:hidden` disappear), no animation (globals.css), and the report header.
 */
export function ReportFrame({ context, title, children }: { context: PageContext; title: string; children: ReactNode }) {
  return (
    <div data-view="report" className="mx-auto bg-white px-8 py-6 text-slate-900" style={{ width: REPORT_WIDTH }}>
      <ReportHeader context={context} title={title} />
      <PageNotes context={context} />
      <main className="mt-4">{children}</main>
    </div>
  );
}
