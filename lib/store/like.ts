/**
 * A LIKE pattern matching values that contain `text` literally: `%`, `_` and `\` in it are escaped,
 * so a caller's `%` finds a percent sign, not every row. Use with `LIKE @param ESCAPE '\'`.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
