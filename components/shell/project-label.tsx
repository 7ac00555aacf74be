'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { PAGING_PARAMS } from '@/lib/request/links';
import { chooseProject } from '@/lib/request/project';

/**
 * Whose data this is: the tenant, and the project the URL chose among the configured ones. With
 * several projects it is the switcher: the same page for the other project, lists from their top.
 */
export function ProjectLabel({ tenant, projects }: { tenant: string; projects: readonly string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { project } = chooseProject(params.get('project') ?? undefined, projects);
  const choose = (value: string): void => {
    const next = new URLSearchParams(params.toString());
    for (const key of PAGING_PARAMS) next.delete(key);
    next.set('project', value);
    // A detail page (one entity, one search) belongs to its project: switching goes to the list.
    const list = pathname.replace(/^\/(graph\/entity|queries|users)\/.+$/, (_, section: string) => `/${section.split('/')[0]}`);
    router.push(`${list}?${next.toString()}`);
  };
  return (
    <span className="text-sm break-words" data-testid="tenant-project">
      tenant <strong>{tenant}</strong> ·{' '}
      {projects.length > 1 ? (
        <label>
          project{' '}
          <select
            value={project}
            onChange={(event) => choose(event.target.value)}
            className="rounded border border-slate-300 bg-transparent px-1 py-0.5 font-semibold dark:border-slate-700"
          >
            {projects.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          project <strong>{project}</strong>
        </>
      )}
    </span>
  );
}
