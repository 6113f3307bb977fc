import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16 } from '../../../src/model/float16.js';

describe('float16', () => {
  it.each([
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [1e6, 0x7c00],
    [2 ** -24, 0x0001],
    [0.1, 0x2e66],
  ])('encodes %f as %i', (value, bits) => {
    expect(encodeFloat16(Float32Array.of(value))[0]).toBe(bits);
  });

  it('round-trips weights within half precision', () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.3);
    const decoded = decodeFloat16(encodeFloat16(values));
    values.forEach((value, i) => expect(Math.abs(decoded[i]! - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -11 + 2 ** -25));
  });
});
