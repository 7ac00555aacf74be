import Link from 'next/link';
import type { ReactNode } from 'react';
import { linkQuery, type PageContext } from '@/lib/queries/page-context';
import { RangePicker } from './range-picker';
import { ThemeToggle } from './theme-toggle';

const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/ingest', label: 'Ingest' },
  { href: '/graph', label: 'Graph' },
  { href: '/queries', label: 'Queries' },
];

/** Header with tenant and project always visible, navigation that keeps range and project, and the range picker. */
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
  const { config, project, range } = context;
  return (
    <div className="min-h-screen">
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
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-6">
        <h1 className="text-xl font-semibold">{title}</h1>
        {context.problems.map((problem) => (
          <p
            key={problem}
            role="status"
            className="mt-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
          >
            {problem}
          </p>
        ))}
        <div className="mt-4">{children}</div>
      </main>
    </div>
  );
}
