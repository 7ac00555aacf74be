/** The dashboard's pages, in navigation order (the admin pages only for admins). */
export const PAGES = [
  { href: '/', label: 'Overview', admin: false },
  { href: '/ingest', label: 'Ingest', admin: false },
  { href: '/graph', label: 'Graph', admin: false },
  { href: '/queries', label: 'Queries', admin: false },
  { href: '/gardener', label: 'Gardener', admin: false },
  { href: '/users', label: 'Users', admin: false },
  { href: '/keys', label: 'Keys', admin: true },
  { href: '/audit', label: 'Audit', admin: true },
] as const;

export interface JumpTarget {
  label: string;
  /** Path and query, without the kept parameters (the caller adds them). */
  path: string;
  params: Record<string, string>;
}

/**
 * Where Ctrl/⌘-K can go for what was typed: the pages whose name matches, a search by its id
 * ("123" or "#123"), and an entity or a logged search by its text (pure, unit-tested).
 */
export function jumpTargets(text: string, admin: boolean): JumpTarget[] {
  const typed = text.trim();
  const lower = typed.toLowerCase();
  const pages = PAGES.filter((page) => (admin || !page.admin) && page.label.toLowerCase().includes(lower)).map(
    (page): JumpTarget => ({ label: `Go to ${page.label}`, path: page.href, params: {} }),
  );
  if (typed === '') return pages;
  const targets = [...pages];
  const id = /^#?(\d{1,15})$/.exec(typed)?.[1];
  if (id) targets.unshift({ label: `Open search #${id}`, path: `/queries/${id}`, params: {} });
  const shown = typed.slice(0, 200);
  targets.push({ label: `Entities named “${shown}”`, path: '/graph', params: { q: shown } });
  targets.push({ label: `Searches containing “${shown}”`, path: '/queries', params: { q: shown } });
  return targets;
}
