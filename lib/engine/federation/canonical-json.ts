/**
 * Canonical JSON: the exact bytes Python writes with
 * `json.dumps(value, sort_keys=True, separators=(",", ":"))` (ensure_ascii left on), which is what the
 * Python HydraMem signs. Signatures only match when both sides produce the same bytes, so this module
 * follows Python rather than JSON.stringify:
 *
 * - object keys sorted by Unicode code point (JavaScript's default sort compares UTF-16 code units,
 *   which puts astral characters before U+E000–U+FFFF);
 * - every character outside printable ASCII written as a lowercase `\uXXXX` escape (astral characters
 *   as their surrogate pair), with Python's short escapes for `"`, `\`, `\b`, `\f`, `\n`, `\r`, `\t`;
 *   DEL (U+007F) is escaped too;
 * - integers as integers, floats in Python's repr (`1.0`, `0.5`, `1e-05`, `1e+16`, `-0.0`).
 *
 * JavaScript has one number type, so the value model says which numbers are floats:
 *
 * | JSON value | JavaScript value                                   |
 * |------------|----------------------------------------------------|
 * | null       | `null`                                             |
 * | true/false | `boolean`                                          |
 * | string     | `string` (lone surrogates allowed, as in Python)   |
 * | integer    | a safe-integer `number`, or a `bigint`             |
 * | float      | a `JsonFloat`                                      |
 * | array      | an array of values                                 |
 * | object     | a plain object whose own enumerable keys are taken |
 *
 * A `number` that is not a safe integer is refused rather than guessed at: a float written as `1`
 * where Python wrote `1.0` would silently break every signature. NaN and infinities are refused too
 * (they are not JSON, though Python would write `NaN`/`Infinity`).
 */

/** A JSON number that is a float in Python's data model, so `new JsonFloat(1)` is written `1.0`. */
export class JsonFloat {
  constructor(readonly value: number) {}

  valueOf(): number {
    return this.value;
  }
}

export type JsonValue = null | boolean | string | number | bigint | JsonFloat | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: JsonValue): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

function write(value: JsonValue, out: string[], where: string): void {
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'string') out.push(quote(value));
  else if (typeof value === 'bigint') out.push(value.toString());
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new CanonicalJsonError(`${where}: ${value} is not a safe integer; floats must be JsonFloat values`);
    }
    out.push(String(value)); // String(-0) is "0", as Python's int would be
  } else if (value instanceof JsonFloat) out.push(pythonFloatRepr(value.value, where));
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item, out, `${where}[${index}]`);
    });
    out.push(']');
  } else if (typeof value === 'object' && isPlainObject(value)) {
    out.push('{');
    Object.keys(value)
      .sort(compareCodePoints)
      .forEach((key, index) => {
        if (index > 0) out.push(',');
        out.push(quote(key), ':');
        write(value[key] as JsonValue, out, `${where}.${key}`);
      });
    out.push('}');
  } else {
    throw new CanonicalJsonError(`${where}: ${typeof value} values have no JSON form`);
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Orders strings by Unicode code point, as Python compares str; lone surrogates count as their own value. */
export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(j) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// Without the u flag the pattern walks UTF-16 code units, so an astral character becomes its two
// surrogate escapes, which is exactly what Python writes.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/g;

function quote(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (unit) => SHORT_ESCAPES[unit] ?? `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * Python's repr of a float: the shortest digits that read back as the same double (JavaScript's
 * Number-to-string finds the same digits), laid out as Python does: positional notation when the
 * decimal point falls within 16 digits of the first digit and no further than 4 places before it,
 * scientific with a signed exponent of at least two digits otherwise; `.0` on whole numbers.
 */
export function pythonFloatRepr(value: number, where = '$'): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where}: ${value} has no JSON form`);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (value === 0) return `${sign}0.0`;
  const { digits, pointAt } = shortestDigits(Math.abs(value));
  if (pointAt <= -4 || pointAt > 16) {
    const exponent = pointAt - 1;
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}.0`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/**
 * The significant digits of a positive finite number (no leading or trailing zeros) and where the
 * decimal point goes: value = 0.DIGITS × 10^pointAt.
 */
function shortestDigits(value: number): { digits: string; pointAt: number } {
  const [mantissa = '', exponent] = String(value).split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let pointAt = whole.length + (exponent === undefined ? 0 : Number(exponent));
  const leadingZeros = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  pointAt -= leadingZeros;
  return { digits, pointAt };
}
