import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../../src/model/schedule.js';

const schedule = { peak: 1e-3, floor: 1e-4, warmupSteps: 10, totalSteps: 110 };

describe('learningRateAt', () => {
  it.each([
    [0, 1e-4],
    [4, 5e-4],
    [9, 1e-3],
    [10, 1e-3],
    [60, 5.5e-4],
    [110, 1e-4],
    [500, 1e-4],
  ])('at step %i is %f', (step, expected) => {
    expect(learningRateAt(schedule, step)).toBeCloseTo(expected, 9);
  });

  it('never rises after warm-up', () => {
    for (let step = 10; step < 120; step++) {
      expect(learningRateAt(schedule, step + 1)).toBeLessThanOrEqual(learningRateAt(schedule, step));
    }
  });
});
