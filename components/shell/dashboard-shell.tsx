import type { ReactNode } from 'react';
import type { Viewer } from '@/lib/auth/viewer';
import { HeaderMenu } from './header-menu';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { PageNav } from './page-nav';
import { ProjectLabel } from './project-label';
import { RangePicker } from './range-picker';
import { ShellChrome } from './shell-chrome';
import { ThemeToggle } from './theme-toggle';
import { ViewerBadge } from './viewer-badge';

/**
 * The dashboard around every page: the no-sign-in banner, tenant and project, navigation that
 * keeps the range and project, the range picker, the theme switch and who is signed in.
 */
export function DashboardShell({
  tenant,
  projects,
  viewer,
  logoutUrl,
  renderedAt,
  children,
}: {
  tenant: string;
  projects: readonly string[];
  viewer: Viewer;
  logoutUrl: string | null;
  /** When the server drew this page: the range picker's "now" until the browser takes over. */
  renderedAt: string;
  children: ReactNode;
}) {
  const banner =
    viewer.mode === 'none' ? (
      <p
        role="alert"
        data-testid="no-auth-banner"
        className="bg-amber-400 px-4 py-1.5 sm:px-6 text-center text-sm font-medium text-amber-950"
      >
        No sign-in: anyone who can reach this address sees every page. For local use only (DASHBOARD_AUTH_MODE=none).
      </p>
    ) : null;
  const header = (
    <header className="border-b border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-7xl flex-wrap items-start justify-between gap-x-6 gap-y-3 px-4 py-3 sm:px-6">
        <span className="py-1 font-semibold">HydraMem</span>
        {/* On a phone the rest folds behind a Menu button; each group wraps: nothing scrolls sideways. */}
        <HeaderMenu>
          <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2">
            <div className="flex min-w-0 flex-wrap items-center gap-x-6 gap-y-2">
              <ProjectLabel tenant={tenant} projects={projects} />
              <PageNav admin={viewer.role === 'admin'} />
            </div>
            <div className="flex flex-wrap items-center gap-3">
              <ThemeToggle />
              <KeyboardShortcuts admin={viewer.role === 'admin'} />
              <ViewerBadge viewer={viewer} logoutUrl={logoutUrl} />
            </div>
          </div>
          <RangePicker renderedAt={renderedAt} />
        </HeaderMenu>
      </div>
    </header>
  );
  return (
    <ShellChrome banner={banner} header={header}>
      {children}
    </ShellChrome>
  );
}
