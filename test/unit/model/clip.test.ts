import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from '../../../src/model/clip.js';

describe('clipByGlobalNorm', () => {
  it('scales gradients above the norm down to it and reports the norm before', () => {
    const gradients = Float32Array.from([3, 4]);
    expect(clipByGlobalNorm(gradients, 1)).toBeCloseTo(5);
    expect(Array.from(gradients)).toEqual([expect.closeTo(0.6), expect.closeTo(0.8)]);
  });

  it('leaves gradients within the norm untouched', () => {
    const gradients = Float32Array.from([0.3, 0.4]);
    clipByGlobalNorm(gradients, 1);
    expect(Array.from(gradients)).toEqual([expect.closeTo(0.3), expect.closeTo(0.4)]);
  });
});
