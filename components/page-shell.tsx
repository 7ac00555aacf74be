import Link from 'next/link';
import type { ReactNode } from 'react';
import { dashboardAuth } from '@/lib/auth/dashboard-auth';
import { linkQuery, type PageContext } from '@/lib/queries/page-context';
import { PageNotes } from './page-notes';
import { RangePicker } from './range-picker';
import { ReportFrame } from './report/report-frame';
import { ThemeToggle } from './theme-toggle';
import { ViewerBadge } from './viewer-badge';

const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/ingest', label: 'Ingest' },
  { href: '/graph', label: 'Graph' },
  { href: '/queries', label: 'Queries' },
  { href: '/gardener', label: 'Gardener' },
];

/**
 * Header with tenant and project always visible, navigation that keeps range and project, and the
 * range picker; with `?view=report`, the report frame instead.
 */
export function PageShell({
  context,
  current,
  title,
  children,
}: {
  context: PageContext;
  current: string;
  title: string;
  children: ReactNode;
}) {
  const { config, project, range, viewer } = context;
  if (context.report)
    return (
      <ReportFrame context={context} title={title}>
        {children}
      </ReportFrame>
    );
  return (
    <div className="min-h-screen">
      {viewer.mode === 'none' && (
        <p
          role="alert"
          data-testid="no-auth-banner"
          className="bg-amber-400 px-6 py-1.5 text-center text-sm font-medium text-amber-950"
        >
          No sign-in: anyone who can reach this address sees every page. For local use only (DASHBOARD_AUTH_MODE=none).
        </p>
      )}
      <header className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-6 py-3">
          <div className="flex items-center gap-6">
            <span className="font-semibold">HydraMem</span>
            <span className="text-sm" data-testid="tenant-project">
              tenant <strong>{config.tenant}</strong> · project <strong>{project}</strong>
            </span>
            <nav className="flex gap-1 text-sm" aria-label="Pages">
              {PAGES.map((page) => (
                <Link
                  key={page.href}
                  href={`${page.href}${linkQuery(context.params)}`}
                  aria-current={page.href === current ? 'page' : undefined}
                  className={`rounded px-2 py-1 ${page.href === current ? 'bg-teal-700 text-white' : 'hover:bg-slate-200 dark:hover:bg-slate-800'}`}
                >
                  {page.label}
                </Link>
              ))}
            </nav>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <RangePicker
              preset={range.preset}
              timeZone={range.timeZone}
              from={range.from.toISOString()}
              to={range.to.toISOString()}
            />
            <ThemeToggle />
            <ViewerBadge viewer={context.viewer} logoutUrl={dashboardAuth().logoutUrl} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-6">
        <h1 className="text-xl font-semibold">{title}</h1>
        <PageNotes context={context} />
        <div className="mt-4">{children}</div>
      </main>
    </div>
  );
}
