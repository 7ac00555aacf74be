'use client';

import { useSearchParams } from 'next/navigation';
import { chooseProject } from '@/lib/request/project';

/** Whose data this is: the tenant, and the project the URL chose among the configured ones. */
export function ProjectLabel({ tenant, projects }: { tenant: string; projects: readonly string[] }) {
  const { project } = chooseProject(useSearchParams().get('project') ?? undefined, projects);
  return (
    <span className="text-sm break-words" data-testid="tenant-project">
      tenant <strong>{tenant}</strong> · project <strong>{project}</strong>
    </span>
  );
}
