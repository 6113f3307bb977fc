import { describe, expect, it } from 'vitest';
import { updateWeightAverage } from '../../../src/model/weight-average.js';

describe('updateWeightAverage', () => {
  it('follows parameters that stay put, closer with every step', () => {
    const average = Float32Array.from([0, 10]);
    const parameters = Float32Array.from([1, 0]);
    const gaps: number[] = [];
    for (let step = 0; step < 200; step++) {
      updateWeightAverage(average, parameters, 0.9, step);
      gaps.push(Math.abs(average[0]! - 1) + Math.abs(average[1]!));
    }
    expect(gaps.every((gap, i) => i === 0 || gap < gaps[i - 1]!)).toBe(true);
    expect(gaps.at(-1)!).toBeLessThan(1e-6);
  });

  it('weighs the first step by the ramp (1 + t) / (10 + t), then by the decay', () => {
    const average = Float32Array.from([0]);
    updateWeightAverage(average, Float32Array.from([10]), 0.999, 0); // decay 1/10: rate 0.9
    expect(average[0]).toBeCloseTo(9, 5);
    const late = Float32Array.from([0]);
    updateWeightAverage(late, Float32Array.from([10]), 0.99, 10_000); // ramp 0.9991 > 0.99: rate 0.01
    expect(late[0]).toBeCloseTo(0.1, 5);
  });

  it('averages out noise around a centre better than the last value does', () => {
    const average = Float32Array.from([0]);
    const parameters = new Float32Array(1);
    let seed = 7;
    for (let step = 0; step < 2_000; step++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      parameters[0] = 5 + (seed / 2 ** 31 - 0.5);
      updateWeightAverage(average, parameters, 0.99, step);
    }
    expect(Math.abs(average[0]! - 5)).toBeLessThan(0.1);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => updateWeightAverage(new Float32Array(2), new Float32Array(3), 0.9, 0)).toThrow(RangeError);
  });
});
