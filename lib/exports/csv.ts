export type Cell = string | number | null;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (starting with =, +, -, @, or a
 * tab or carriage return) gets a leading apostrophe, so it is shown as text, never evaluated.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(values: readonly Cell[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
