import fs from 'node:fs';
import path from 'node:path';

/**
 * The packed word vectors in one binary file, so that a process reads them in a fraction of a
 * second instead of parsing the package's 300 MB of JSON (seconds). Layout: a JSON header line,
 * then the signed-byte values, the per-word scales (float32), the ranks (int32) and the words
 * (UTF-8, NUL-separated). The header names the source file's size and time, so a changed package
 * is read afresh.
 */
export interface PackedVectors {
  dimensions: number;
  words: string[];
  values: Int8Array;
  scales: Float32Array;
  ranks: Int32Array;
}

interface CacheHeader {
  format: 'hydramem-word-vectors-1';
  source: string;
  sourceBytes: number;
  sourceMtimeMs: number;
  dimensions: number;
  count: number;
}

function headerFor(source: string, dimensions: number, count: number): CacheHeader {
  const stat = fs.statSync(source);
  return {
    format: 'hydramem-word-vectors-1',
    source: path.basename(source),
    sourceBytes: stat.size,
    sourceMtimeMs: Math.round(stat.mtimeMs),
    dimensions,
    count,
  };
}

/** The cached vectors of `source`, or null when there is no cache for this very file. */
export function readCache(cacheFile: string, source: string): PackedVectors | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return null;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return null;
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as CacheHeader;
  } catch {
    return null;
  }
  const expected = headerFor(source, header.dimensions, header.count);
  if (JSON.stringify(header) !== JSON.stringify(expected)) return null;
  const { dimensions, count } = header;
  let offset = newline + 1;
  const take = (length: number): Buffer => {
    const part = bytes.subarray(offset, offset + length);
    offset += length;
    return part;
  };
  const values = new Int8Array(take(count * dimensions));
  const scales = new Float32Array(new Uint8Array(take(count * 4)).buffer);
  const ranks = new Int32Array(new Uint8Array(take(count * 4)).buffer);
  const words = bytes.subarray(offset).toString('utf8').split('\0');
  if (words.length !== count || values.length !== count * dimensions) return null;
  return { dimensions, words, values, scales, ranks };
}

/** Writes the cache atomically (a temporary file renamed into place); a cache that cannot be written is skipped. */
export function writeCache(cacheFile: string, source: string, packed: PackedVectors): void {
  const header = headerFor(source, packed.dimensions, packed.words.length);
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(
      temporary,
      Buffer.concat([
        Buffer.from(`${JSON.stringify(header)}\n`),
        Buffer.from(packed.values.buffer, packed.values.byteOffset, packed.values.byteLength),
        Buffer.from(packed.scales.buffer, packed.scales.byteOffset, packed.scales.byteLength),
        Buffer.from(packed.ranks.buffer, packed.ranks.byteOffset, packed.ranks.byteLength),
        Buffer.from(packed.words.join('\0'), 'utf8'),
      ]),
    );
    fs.renameSync(temporary, cacheFile);
  } catch {
    // The cache only saves time: without it, the next process reads the package again.
    fs.rmSync(temporary, { force: true });
  }
}
