import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../../src/plot/svg-chart.js';

describe('niceTicks', () => {
  it.each([
    [0, 31.7, 8, ['0', '5', '10', '15', '20', '25', '30', '35']],
    [2.3, 4.86, 6, ['2.0', '2.5', '3.0', '3.5', '4.0', '4.5', '5.0']],
    [0, 3, 3, ['0', '1', '2', '3']],
  ])('covers [%d, %d] with round steps', (min, max, count, labels) => {
    expect(niceTicks(min, max, count).map((tick) => tick.label)).toEqual(labels);
  });
});
