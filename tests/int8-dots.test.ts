import { describe, expect, it } from 'vitest';
import { Int8Dots } from '../lib/engine/dense/int8-dots';
import { seededRandom } from '../lib/engine/demo/random';

/** The products summed one by one, as the definition says. */
function plainDot(vectors: Int8Array, slot: number, query: Int8Array): number {
  let sum = 0;
  for (let d = 0; d < query.length; d++) sum += (vectors[slot * query.length + d] ?? 0) * (query[d] ?? 0);
  return sum;
}

function randomBytes(length: number, random: () => number): Int8Array {
  return Int8Array.from({ length }, () => Math.floor(random() * 256) - 128);
}

describe('the dense scan’s dot products', () => {
  it('equal the plain sum of products for every vector, at sizes that are not whole blocks, through growth', () => {
    const random = seededRandom(7);
    for (const dimensions of [100, 3, 8, 17]) {
      const store = new Int8Dots(dimensions, 5);
      let stored = new Int8Array(0);
      for (const count of [1, 5, 6, 1000, 4099]) {
        store.reserve(count);
        const before = store.vectors().slice(0, stored.length);
        expect(before).toEqual(stored); // growing kept what was there
        const added = randomBytes((count - stored.length / dimensions) * dimensions, random);
        store.vectors().set(added, stored.length);
        stored = Int8Array.from([...stored, ...added]);
        const query = randomBytes(dimensions, random);
        const dots = store.dots(query, count);
        expect(dots.length).toBe(count);
        const expected = Array.from({ length: count }, (_, slot) => plainDot(stored, slot, query));
        expect(Array.from(dots)).toEqual(expected);
      }
    }
  });

  it('reads only the vectors asked for and is exact at the extremes of a byte', () => {
    const store = new Int8Dots(100, 4);
    const vectors = store.vectors();
    vectors.fill(-128);
    vectors.fill(127, 100, 200);
    const query = new Int8Array(100).fill(-128);
    expect(Array.from(store.dots(query, 2))).toEqual([100 * 128 * 128, 100 * 127 * -128]);
    expect(store.dots(query, 0).length).toBe(0);
  });

  it('refuses a query of another size, and sizes it has no room for', () => {
    const store = new Int8Dots(100, 1);
    expect(() => store.dots(new Int8Array(99), 1)).toThrow(/99 dimensions, not 100/);
    expect(() => new Int8Dots(0, 1)).toThrow(/0 dimensions/);
    expect(() => new Int8Dots(513, 1)).toThrow(/1 to 512/);
  });
});
