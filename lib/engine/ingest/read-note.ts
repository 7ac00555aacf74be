import fs from 'node:fs';

/** Why a file was not ingested. `skipped` is expected (unchanged, empty); `failed` needs a look. */
export interface NoteRejection {
  status: 'skipped' | 'failed';
  reason: string;
}

export interface NoteFile {
  text: string;
  bytes: number;
  mtimeMs: number;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (for the message; the decoder only says "invalid"). */
export function invalidUtf8Offset(buffer: Uint8Array): number {
  let index = 0;
  while (index < buffer.length) {
    const lead = buffer[index] ?? 0;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0 || index + length > buffer.length) return index;
    for (let next = 1; next < length; next++) {
      if (((buffer[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return index;
}

/**
 * Reads a note from disk with every check that keeps a bad file from reaching the graph:
 * size limit, binary content, invalid UTF-8, empty file, and a file that vanished meanwhile.
 */
export function readNoteFile(absPath: string, maxBytes: number): NoteFile | NoteRejection {
  let stat: fs.Stats;
  let buffer: Buffer;
  try {
    stat = fs.statSync(absPath);
    if (!stat.isFile()) return { status: 'skipped', reason: 'not a regular file' };
    if (stat.size > maxBytes) {
      return {
        status: 'skipped',
        reason: `file too large: ${formatBytes(stat.size)} is over the ${formatBytes(maxBytes)} limit (HYDRAMEM_MAX_FILE_BYTES)`,
      };
    }
    buffer = fs.readFileSync(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'skipped', reason: 'file was removed before it could be read' };
    if (code === 'EACCES' || code === 'EPERM') return { status: 'failed', reason: 'permission denied reading the file' };
    return { status: 'failed', reason: `could not read the file (${code ?? String(error)})` };
  }
  if (buffer.length > maxBytes) {
    return {
      status: 'skipped',
      reason: `file too large: ${formatBytes(buffer.length)} is over the ${formatBytes(maxBytes)} limit (HYDRAMEM_MAX_FILE_BYTES)`,
    };
  }
  // The whole file: a NUL anywhere would reach the store and every reader of it.
  const nul = buffer.indexOf(0);
  if (nul >= 0) return { status: 'skipped', reason: `binary file (a NUL byte at byte ${nul})` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return { status: 'failed', reason: `invalid UTF-8 at byte ${invalidUtf8Offset(buffer)}` };
  }
  if (text.trim().length === 0) return { status: 'skipped', reason: 'empty file' };
  return { text, bytes: buffer.length, mtimeMs: stat.mtimeMs };
}

export function isRejection(value: NoteFile | NoteRejection): value is NoteRejection {
  return 'status' in value;
}
