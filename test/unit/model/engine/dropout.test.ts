import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropoutFactors } from '../../../../src/model/engine/dropout.js';

const factorsOf = (rate: number, seed: number, firstSequence: number, batchSize: number, steps: number, width: number, slot = 0) => {
  const out = new Float32Array(batchSize * steps * width);
  dropoutFactors({ rate, seed, firstSequence }, slot, batchSize, steps, width, out);
  return out;
};

describe('dropoutFactors', () => {
  it('drops about `rate` of the values and scales the rest by 1 / (1 − rate)', () => {
    for (const rate of [0.1, 0.3, 0.5]) {
      const factors = factorsOf(rate, 1, 0, 16, 32, 64);
      const dropped = factors.filter((factor) => factor === 0).length / factors.length;
      expect(Math.abs(dropped - rate)).toBeLessThan(0.02);
      expect(new Set(factors)).toEqual(new Set([0, Math.fround(1 / (1 - rate))]));
    }
  });

  it('keeps every value at rate 0', () => {
    expect(factorsOf(0, 3, 0, 4, 5, 6).every((factor) => factor === 1)).toBe(true);
  });

  it('draws other masks for other seeds, connections and steps', () => {
    const base = factorsOf(0.5, 1, 0, 2, 3, 64);
    expect(factorsOf(0.5, 2, 0, 2, 3, 64)).not.toEqual(base);
    expect(factorsOf(0.5, 1, 0, 2, 3, 64, 1)).not.toEqual(base);
    const rows = (factors: Float32Array) => Array.from({ length: 6 }, (_, row) => factors.slice(row * 64, (row + 1) * 64).join());
    expect(new Set(rows(base)).size).toBe(6);
  });

  it('gives a slice of sequences from `firstSequence` on the masks those sequences get in the whole batch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 }), fc.nat(), (batchSize, steps, width, seed) => {
        const whole = factorsOf(0.4, seed, 0, batchSize, steps, width);
        const first = Math.floor(batchSize / 2);
        const part = factorsOf(0.4, seed, first, batchSize - first, steps, width);
        for (let t = 0; t < steps; t++)
          for (let b = first; b < batchSize; b++) {
            const inWhole = whole.slice((t * batchSize + b) * width, (t * batchSize + b + 1) * width);
            const inPart = part.slice((t * (batchSize - first) + b - first) * width, (t * (batchSize - first) + b - first + 1) * width);
            expect(inPart).toEqual(inWhole);
          }
      }),
    );
  });

  it('refuses a rate outside [0, 1)', () => {
    expect(() => factorsOf(1, 1, 0, 1, 1, 1)).toThrow(RangeError);
    expect(() => factorsOf(-0.1, 1, 0, 1, 1, 1)).toThrow(RangeError);
  });
});
