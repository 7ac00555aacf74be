import fs from 'node:fs';

/**
 * A streaming reader of the word-vector package's JSON, which is one object whose `vectors` member
 * maps each word to `[d1, …, dN, l2norm, frequencyRank]`. Only that member is read; bytes are fed
 * through a small state machine a block at a time, so memory stays at one block.
 */
export type VectorEntry = (word: string, vector: Float64Array, rank: number) => void;

const BLOCK_BYTES = 4 * 1024 * 1024;
const MEMBER = Buffer.from('"vectors":{');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** i);

const State = { Seek: 0, BeforeKey: 1, Key: 2, BeforeArray: 3, Array: 4, Done: 5 } as const;
type State = (typeof State)[keyof typeof State];

/** A JSON number read digit by digit: mantissa, fraction digits and exponent. */
class NumberReader {
  private negative = false;
  private mantissa = 0;
  private fraction = -1;
  private exponent = 0;
  private exponentNegative = false;
  private inExponent = false;
  digits = 0;

  feed(byte: number): void {
    if (byte >= 0x30 && byte <= 0x39) {
      const digit = byte - 0x30;
      if (this.inExponent) this.exponent = this.exponent * 10 + digit;
      else {
        this.mantissa = this.mantissa * 10 + digit;
        if (this.fraction >= 0) this.fraction += 1;
        this.digits += 1;
      }
    } else if (byte === 0x2d) {
      if (this.inExponent) this.exponentNegative = true;
      else this.negative = true;
    } else if (byte === 0x2e) this.fraction = 0;
    else if (byte === 0x65 || byte === 0x45) this.inExponent = true;
    else if (byte !== 0x2b) throw new Error(`unexpected byte ${byte} in a number`);
  }

  take(): number {
    const power = (this.exponentNegative ? -this.exponent : this.exponent) - Math.max(0, this.fraction);
    const magnitude = power < 0 ? this.mantissa / (POW10[-power] ?? 10 ** -power) : this.mantissa * (POW10[power] ?? 10 ** power);
    const value = this.negative ? -magnitude : magnitude;
    this.negative = this.exponentNegative = this.inExponent = false;
    this.mantissa = this.exponent = this.digits = 0;
    this.fraction = -1;
    return value;
  }
}

export function parseVectorEntries(file: string, dimensions: number, onEntry: VectorEntry): void {
  const fd = fs.openSync(file, 'r');
  try {
    const parser = new EntryParser(dimensions, onEntry);
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    for (;;) {
      const read = fs.readSync(fd, block, 0, BLOCK_BYTES, null);
      if (read === 0) break;
      if (parser.feed(block, read)) break;
    }
    if (!parser.done) throw new Error(`${file}: the word vectors end early (no closing brace)`);
  } finally {
    fs.closeSync(fd);
  }
}

class EntryParser {
  private state: State = State.Seek;
  private matched = 0;
  private readonly key = new Uint8Array(4096);
  private keyLength = 0;
  private keyEscaped = false;
  private escaping = false;
  private readonly values: Float64Array;
  private position = 0;
  private readonly number = new NumberReader();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly dimensions: number,
    private readonly onEntry: VectorEntry,
  ) {
    this.values = new Float64Array(dimensions + 2);
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Consumes `length` bytes; true once the vectors member has ended. */
  feed(bytes: Buffer, length: number): boolean {
    for (let i = 0; i < length; i++) {
      const byte = bytes[i] ?? 0;
      switch (this.state) {
        case State.Seek:
          this.seek(byte);
          break;
        case State.BeforeKey:
          if (byte === QUOTE) this.startKey();
          else if (byte === 0x7d) this.state = State.Done;
          break;
        case State.Key:
          this.keyByte(byte);
          break;
        case State.BeforeArray:
          if (byte === 0x5b) this.state = State.Array;
          break;
        case State.Array:
          this.arrayByte(byte);
          break;
        case State.Done:
          return true;
      }
    }
    return this.state === State.Done;
  }

  private seek(byte: number): void {
    if (byte === MEMBER[this.matched]) this.matched += 1;
    else this.matched = byte === QUOTE ? 1 : 0;
    if (this.matched === MEMBER.length) this.state = State.BeforeKey;
  }

  private startKey(): void {
    this.state = State.Key;
    this.keyLength = 0;
    this.keyEscaped = false;
    this.escaping = false;
  }

  private keyByte(byte: number): void {
    if (byte === QUOTE && !this.escaping) {
      this.state = State.BeforeArray;
      this.position = 0;
      return;
    }
    this.escaping = byte === BACKSLASH && !this.escaping;
    if (byte === BACKSLASH) this.keyEscaped = true;
    if (this.keyLength < this.key.length) this.key[this.keyLength++] = byte;
  }

  private arrayByte(byte: number): void {
    if (byte === 0x2c || byte === 0x5d) {
      if (this.number.digits > 0) {
        const value = this.number.take();
        if (this.position < this.values.length) this.values[this.position] = value;
        this.position += 1;
      }
      if (byte === 0x5d) this.emit();
    } else if (byte > 0x20) this.number.feed(byte);
  }

  private emit(): void {
    this.state = State.BeforeKey;
    if (this.position < this.dimensions + 2) return;
    const text = this.decoder.decode(this.key.subarray(0, this.keyLength));
    const word = this.keyEscaped ? (JSON.parse(`"${text}"`) as string) : text;
    this.onEntry(word, this.values, this.values[this.dimensions + 1] ?? 0);
  }
}
