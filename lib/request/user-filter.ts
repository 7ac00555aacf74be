/**
 * The user and memory a page is narrowed to (`?user=…&memory=…`). Only for viewers who see content:
 * for support, matching on identifiers would reveal them one guess at a time.
 */
export type UserFilter = {
  user: string | null;
  memory: string | null;
};

export function userFilter(params: Record<string, string>, seesContent: boolean): UserFilter {
  const value = (text: string | undefined): string | null => (seesContent && text?.trim() ? text.trim().slice(0, 200) : null);
  const user = value(params.user);
  return { user, memory: user ? value(params.memory) : null };
}
