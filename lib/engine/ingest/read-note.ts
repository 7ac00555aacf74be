import fs from 'node:fs';
import { FrontMatterError } from './front-matter';

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

const BINARY_PROBE_BYTES = 8192;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function invalidUtf8Offset(buffer: Buffer): number {
  // Find the first bad byte for the message; TextDecoder only says that there is one.
  for (let low = 0, high = buffer.length; ; ) {
    if (high - low <= 1) return low;
    const middle = Math.floor((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, middle), { stream: true });
      low = middle;
    } catch {
      high = middle;
    }
  }
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
    return { status: 'skipped', reason: `file too large: ${formatBytes(buffer.length)} is over the ${formatBytes(maxBytes)} limit (HYDRAMEM_MAX_FILE_BYTES)` };
  }
  if (buffer.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { status: 'skipped', reason: 'binary file (contains NUL bytes)' };
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

export function frontMatterRejection(error: FrontMatterError): NoteRejection {
  return { status: 'failed', reason: error.message };
}
