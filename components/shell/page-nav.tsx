'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { firstValues, linkQuery } from '@/lib/request/links';
import { PAGES } from '@/lib/request/page-list';

function currentPage(pathname: string): string {
  const match = PAGES.filter((page) => page.href !== '/' && (pathname === page.href || pathname.startsWith(`${page.href}/`)));
  return match[0]?.href ?? '/';
}

/** Links to the pages that keep the project, range and time zone of the URL (the admin pages for admins). */
export function PageNav({ admin }: { admin: boolean }) {
  const pathname = usePathname();
  const query = linkQuery(firstValues(useSearchParams()));
  const current = currentPage(pathname);
  return (
    <nav className="flex flex-wrap gap-1 text-sm" aria-label="Pages">
      {PAGES.filter((page) => admin || !page.admin).map((page) => (
        <Link
          key={page.href}
          href={`${page.href}${query}`}
          aria-current={page.href === current ? 'page' : undefined}
          className={`rounded px-2 py-1 ${page.href === current ? 'bg-teal-700 text-white' : 'hover:bg-slate-200 dark:hover:bg-slate-800'}`}
        >
          {page.label}
        </Link>
      ))}
    </nav>
  );
}
