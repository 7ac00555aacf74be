import { JsonFloat, type JsonValue } from './canonical-json';

/**
 * A strict JSON parser (RFC 8259) that keeps what JSON.parse throws away and a signature depends on:
 * a number written with a fraction or an exponent is a float (`JsonFloat`), as Python's json.loads
 * reads it, and an integer too large for a double stays exact (`bigint`). Objects keep the last of
 * duplicate keys, as Python does; `__proto__` is an ordinary key.
 *
 * Refused, as not JSON: NaN/Infinity literals (Python accepts them), numbers that overflow a double,
 * control characters inside strings, a byte order mark, anything after the value but whitespace, and
 * nesting deeper than MAX_DEPTH (a stack guard).
 */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at character ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

export const MAX_DEPTH = 256;

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const PLAIN_RUN = /[^"\\\u0000-\u001f]+/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJson(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.at < text.length) parser.fail('unexpected data after the JSON value');
  return value;
}

class Parser {
  at = 0;

  constructor(private readonly text: string) {}

  fail(reason: string): never {
    throw new JsonSyntaxError(reason, this.at);
  }

  skipWhitespace(): void {
    while (this.at < this.text.length) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.at += 1;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    if (this.text.startsWith('true', this.at)) return this.literal(4, true);
    if (this.text.startsWith('false', this.at)) return this.literal(5, false);
    if (this.text.startsWith('null', this.at)) return this.literal(4, null);
    return this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
  }

  private literal<T>(length: number, value: T): T {
    this.at += length;
    return value;
  }

  private object(depth: number): { [key: string]: JsonValue } {
    const result: { [key: string]: JsonValue } = {};
    this.at += 1;
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at += 1;
      return result;
    }
    for (;;) {
      if (this.text[this.at] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail("expected ':' after a key");
      this.at += 1;
      this.skipWhitespace();
      // defineProperty: a plain assignment to "__proto__" would change the prototype instead.
      Object.defineProperty(result, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.at];
      this.at += 1;
      if (next === '}') return result;
      if (next !== ',') {
        this.at -= 1;
        this.fail("expected ',' or '}' in an object");
      }
      this.skipWhitespace();
    }
  }

  private array(depth: number): JsonValue[] {
    const result: JsonValue[] = [];
    this.at += 1;
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at += 1;
      return result;
    }
    for (;;) {
      result.push(this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.at];
      this.at += 1;
      if (next === ']') return result;
      if (next !== ',') {
        this.at -= 1;
        this.fail("expected ',' or ']' in an array");
      }
      this.skipWhitespace();
    }
  }

  private string(): string {
    this.at += 1; // opening quote
    let result = '';
    for (;;) {
      PLAIN_RUN.lastIndex = this.at;
      if (PLAIN_RUN.test(this.text)) {
        result += this.text.slice(this.at, PLAIN_RUN.lastIndex);
        this.at = PLAIN_RUN.lastIndex;
      }
      const c = this.text[this.at];
      if (c === '"') {
        this.at += 1;
        return result;
      }
      if (c === undefined) this.fail('unterminated string');
      if (c !== '\\') this.fail('control character in a string');
      const escape = this.text[this.at + 1];
      if (escape === 'u') {
        const hex = this.text.slice(this.at + 2, this.at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        // Code units are appended as they come: an escaped surrogate pair forms its character.
        result += String.fromCharCode(parseInt(hex, 16));
        this.at += 6;
        continue;
      }
      const replacement = escape === undefined ? undefined : ESCAPES[escape];
      if (replacement === undefined) this.fail('invalid escape');
      result += replacement;
      this.at += 2;
    }
  }

  private number(): number | bigint | JsonFloat {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail('invalid number');
    const token = match[0];
    const start = this.at;
    this.at += token.length;
    if (match[1] !== undefined || match[2] !== undefined) {
      const float = Number(token);
      if (!Number.isFinite(float)) {
        this.at = start;
        this.fail('number out of the range of a double');
      }
      return new JsonFloat(float);
    }
    const integer = Number(token);
    return Number.isSafeInteger(integer) ? integer : BigInt(token);
  }
}
