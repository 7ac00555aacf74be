'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';

/** Pages that stand alone, without the dashboard around them. */
const STANDALONE = ['/signin', '/signout'];

/**
 * The header and navigation around every page, drawn once by the layout. The report view
 * (`?view=report`) has none (the page draws its own report frame), nor have the sign-in pages.
 */
export function ShellChrome({ banner, header, children }: { banner: ReactNode; header: ReactNode; children: ReactNode }) {
  const report = useSearchParams().get('view') === 'report';
  const pathname = usePathname();
  if (report || STANDALONE.includes(pathname)) return children;
  return (
    <div className="min-h-screen">
      {/* The first Tab stop: past the banner, the navigation and the range picker in one key. */}
      <a
        href="#main"
        className="sr-only rounded bg-teal-700 text-white focus:not-sr-only focus:absolute focus:px-3 focus:py-2 focus:top-2 focus:left-2 focus:z-50"
      >
        Skip to content
      </a>
      {banner}
      {header}
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none sm:px-6">
        {children}
      </main>
    </div>
  );
}
