/** Roles from identity-provider groups, matched exactly: a substring or case variant is not a member. */
export type Role = 'admin' | 'support';

export interface RoleGroups {
  admin: readonly string[];
  support: readonly string[];
}

/** Splits a comma-separated group header or claim, trims, and drops empties and duplicates. */
export function parseGroups(value: string | readonly string[] | null | undefined): string[] {
  const items = typeof value === 'string' ? value.split(',') : (value ?? []);
  return [...new Set(items.map((item) => item.trim()).filter((item) => item.length > 0))];
}

export function defaultRoleGroups(tenant: string): RoleGroups {
  return { admin: [`dash-${tenant}-admin`], support: [`dash-${tenant}-support`] };
}

/** Admin wins over support; anyone in neither gets no role (a 403 that names no data). */
export function roleFor(groups: readonly string[], roleGroups: RoleGroups): Role | null {
  if (groups.some((group) => roleGroups.admin.includes(group))) return 'admin';
  if (groups.some((group) => roleGroups.support.includes(group))) return 'support';
  return null;
}
