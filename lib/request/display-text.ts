/**
 * Characters that change how the text around them is shown rather than showing themselves: C0
 * controls but tab and newline, DEL, C1 controls, and the bidi controls (a U+202E in a file name
 * makes `rtl\u202Egnp.md` read as `rtldm.png`). On a page each is shown as its code, `[U+202E]`;
 * in a terminal (bin/terminal-output.ts) as `\u202e`.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visibleControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Every string in read data (however deep in arrays and plain objects) with its controls made visible. */
export function withVisibleControls<T>(value: T): T {
  if (typeof value === 'string') return visibleControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withVisibleControls(item)) as T;
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withVisibleControls(item)])) as T;
  }
  return value;
}
