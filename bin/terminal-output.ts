import tty from 'node:tty';
import { CONTROL_CHARACTERS } from '../lib/request/display-text';

/**
 * The text with each character a terminal would act on instead of showing (C0 but tab and newline,
 * DEL, C1, bidi controls) written as `\uXXXX`: visible, and the same value inside JSON.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Write = NodeJS.WriteStream['write'];

function guard(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    // Encoding arguments are for the original chunk; the safe text is always a UTF-8 string.
    const callback = rest.find((arg) => typeof arg === 'function');
    return callback ? write(terminalSafe(text), 'utf8', callback) : write(terminalSafe(text), 'utf8');
  }) as Write;
}

/**
 * Escapes control characters in everything the command prints on stdout and stderr, so no file
 * name, note or message can move the cursor, retitle the terminal or reorder a line. JSON output
 * is unchanged in meaning (JSON escapes C0 itself; `\u202e` in a string is the same value).
 */
export function guardTerminalOutput(): void {
  guard(process.stdout);
  guard(process.stderr);
}

/** stderr for the progress bar, which draws with escape sequences of its own: a stream beside the guarded one. */
export function rawStderr(): NodeJS.WriteStream {
  return process.stderr.isTTY ? new tty.WriteStream(2) : process.stderr;
}
