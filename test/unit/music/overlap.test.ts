import { describe, expect, it } from 'vitest';
import { overlappedArea, sharedHistograms } from '../../../src/music/overlap.js';

describe('overlappedArea', () => {
  it('is 1 for identical distributions', () => {
    const values = [1, 2, 2, 3, 5, 8, 13];
    expect(overlappedArea(values, [...values].reverse())).toBeCloseTo(1, 12);
  });

  it('is 0 for distributions that never meet', () => {
    expect(overlappedArea([0, 0.5, 1], [2, 2.5, 3])).toBe(0);
  });

  it('is the shared mass of a partial overlap: Σ min(p, q) on shared bins', () => {
    // Two bins [0, 1) and [1, 2]: a = 3/4 | 1/4, b = 1/4 | 3/4 → min = 1/4 + 1/4.
    expect(overlappedArea([0, 0, 0, 2], [0, 2, 2, 2], 2)).toBeCloseTo(0.5, 12);
  });

  it('puts everything in one bin when all values are equal', () => {
    expect(overlappedArea([4, 4], [4])).toBe(1);
  });

  it('is not fooled by one far-off value: the bins span the target, so the rest keep their own bins', () => {
    const target = Array.from({ length: 20 }, (_, i) => i);
    const shifted = target.map((value) => value + 10);
    expect(overlappedArea([...shifted, 1e6], target)).toBeCloseTo(overlappedArea(shifted, target) * (20 / 21), 12);
    expect(overlappedArea([...shifted, 1e6], target)).toBeLessThan(0.6);
  });
});

describe('sharedHistograms', () => {
  it('spans every set and gives each its shares on the same bins', () => {
    expect(sharedHistograms([[1, 2], [2, 3]], 2)).toEqual({ edges: [1, 2, 3], shares: [[0.5, 0.5], [0, 1]] });
  });

  it('gives an empty set no mass and ignores values that are not finite', () => {
    expect(sharedHistograms([[], [1, NaN, 3]], 2).shares).toEqual([[0, 0], [0.5, 0.5]]);
  });
});
