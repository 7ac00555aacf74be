/**
 * A unit vector as stored in chunk_vectors: one signed byte per dimension, scaled so that its
 * largest component is ±127. Cosine similarity ignores the scale, so none is stored; sqlite-vec
 * reads the BLOB with vec_int8(). A quarter of the size of float32, and faster to scan.
 */
export function encodeVector(vector: Float32Array): Buffer {
  let max = 0;
  for (const value of vector) max = Math.max(max, Math.abs(value));
  const bytes = Buffer.alloc(vector.length);
  if (max === 0) return bytes;
  const scale = 127 / max;
  for (let d = 0; d < vector.length; d++) bytes.writeInt8(Math.round((vector[d] ?? 0) * scale), d);
  return bytes;
}

export function decodeVector(blob: Uint8Array): Int8Array {
  return new Int8Array(blob.buffer, blob.byteOffset, blob.byteLength);
}
