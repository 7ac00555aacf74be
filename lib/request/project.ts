/**
 * The project a request shows: one of the dashboard's configured projects, never whatever the URL
 * says. An unknown name falls back to the first, with a note for the page.
 */
export function chooseProject(
  requested: string | undefined,
  allowed: readonly string[],
): { project: string; problem: string | null } {
  const [first = ''] = allowed;
  if (requested === undefined || requested === first) return { project: first, problem: null };
  if (allowed.includes(requested)) return { project: requested, problem: null };
  return { project: first, problem: `project "${requested}" is not part of this dashboard; showing ${first}` };
}
