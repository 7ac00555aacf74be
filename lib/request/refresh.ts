/**
 * Auto-refresh, kept in the URL (?refresh=30s) like the range, so a wall screen's link keeps it
 * (pure, unit-tested).
 */
export const REFRESH_CHOICES = { off: 0, '10s': 10_000, '30s': 30_000, '1m': 60_000, '5m': 300_000 } as const;
export type RefreshChoice = keyof typeof REFRESH_CHOICES;

export function parseRefresh(value: string | undefined): { choice: RefreshChoice; problem: string | null } {
  if (value === undefined || value === '') return { choice: 'off', problem: null };
  if (Object.hasOwn(REFRESH_CHOICES, value)) return { choice: value as RefreshChoice, problem: null };
  return { choice: 'off', problem: `unknown refresh "${value}" (off, 10s, 30s, 1m or 5m), not refreshing` };
}
