'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { firstValues, linkQuery } from '@/lib/request/links';
import { notFoundText } from '@/lib/request/not-found-text';
import { chooseProject } from '@/lib/request/project';

/** The 404's words: what was asked for that is not there, and the way to the list it would be in. */
export function NotFoundMessage({ projects }: { projects: readonly string[] }) {
  const pathname = usePathname();
  const params = firstValues(useSearchParams());
  const { project } = chooseProject(params.project, projects);
  const section = pathname.split('/')[1] ?? '';
  const list = ['queries', 'graph', 'users'].includes(section) ? `/${section}` : '/';
  return (
    <div className="space-y-3" data-testid="not-found">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="[unicode-bidi:isolate]">{notFoundText(pathname, project)}</p>
      <Link href={`${list}${linkQuery(params)}`} className="text-sm text-teal-700 underline dark:text-teal-400">
        ← {list === '/queries' ? 'Query logs' : list === '/graph' ? 'Graph statistics' : list === '/users' ? 'Users' : 'Overview'}
      </Link>
    </div>
  );
}
