import { describe, expect, it } from 'vitest';
import { createMatVecMemory, hasWasmSimd } from '../../../src/model/matvec.js';
import { SeededRandom } from '../../../src/model/random.js';

describe('createMatVecMemory', () => {
  it('has wasm SIMD on this Node (else sampling falls back to the slow JS loop)', () => {
    expect(hasWasmSimd()).toBe(true);
    expect(createMatVecMemory(16).simd).toBe(true);
  });

  it.each([true, false])('adds matrix · vector to out like a float64 reference (simd %s)', (simd) => {
    const rows = 36;
    const width = 20;
    const arena = createMatVecMemory(4 + rows * width + width + rows, { simd });
    const random = new SeededRandom(5);
    const [matrixAt, vectorAt, outAt] = [4, 4 + rows * width, 4 + rows * width + width];
    for (let i = matrixAt; i < outAt + rows; i++) arena.floats[i] = random.next() * 2 - 1;
    const expected = Array.from({ length: rows }, (_, r) => {
      let sum = arena.floats[outAt + r]!;
      for (let k = 0; k < width; k++) sum += arena.floats[matrixAt + r * width + k]! * arena.floats[vectorAt + k]!;
      return sum;
    });
    arena.matVec(matrixAt, vectorAt, outAt, rows, width);
    const got = Array.from(arena.floats.subarray(outAt, outAt + rows));
    got.forEach((value, r) => expect(value).toBeCloseTo(expected[r]!, 5));
  });

  it('rejects offsets and sizes that are not positive multiples of 4', () => {
    const arena = createMatVecMemory(64);
    expect(() => arena.matVec(1, 16, 32, 4, 4)).toThrow(RangeError);
    expect(() => arena.matVec(0, 16, 32, 6, 4)).toThrow(RangeError);
    expect(() => arena.matVec(0, 16, 32, 0, 4)).toThrow(RangeError);
  });
});
