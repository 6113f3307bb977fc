import { describe, expect, it } from 'vitest';
import { dynamicsMarks, type ControlSpec } from '../../../../src/model/controls/control-spec.js';
import { dynamicsGuidance, markCentre } from '../../../../src/model/controls/dynamics-guidance.js';
import { samplerGuidance } from '../../../../src/model/controls/sampler-guidance.js';
import { PERFORMANCE_VOCAB_SIZE, VELOCITY_BASE, VELOCITY_BINS } from '../../../../src/tokens/performance-ids.js';

const spec = { dynamicsEdges: [48.9, 60.3, 67.1, 73, 79.5] } as ControlSpec;
const velocityWeights = (weights: Float64Array) => Array.from(weights.subarray(VELOCITY_BASE, VELOCITY_BASE + VELOCITY_BINS));

describe('dynamicsGuidance', () => {
  it('places each mark’s centre between its edges, softest first', () => {
    const centres = dynamicsMarks.map((mark) => markCentre(spec, mark));
    expect(centres.every((centre, i) => i === 0 || centre > centres[i - 1]!)).toBe(true);
    expect(centres[0]).toBeLessThan(48.9);
    expect(centres[2]).toBeGreaterThan(60.3);
    expect(centres[2]).toBeLessThan(67.1);
    expect(centres[5]).toBeGreaterThan(79.5);
  });

  it('leans soft marks toward low velocities and loud ones toward high, harder the further from neutral', () => {
    const slope = (mark: (typeof dynamicsMarks)[number]) => {
      const weights = velocityWeights(dynamicsGuidance(spec, mark));
      return Math.log(weights.at(-1)! / weights[0]!);
    };
    const slopes = dynamicsMarks.map(slope);
    expect(slopes.every((value, i) => i === 0 || value > slopes[i - 1]!)).toBe(true);
    expect(slopes[0]).toBeLessThan(0);
    expect(slopes[5]).toBeGreaterThan(0);
  });

  it('weighs every other event 1, and nothing at strength 0', () => {
    const weights = dynamicsGuidance(spec, 'ff');
    expect(Array.from(weights.subarray(0, VELOCITY_BASE)).every((weight) => weight === 1)).toBe(true);
    expect(velocityWeights(dynamicsGuidance(spec, 'ff', 0)).every((weight) => weight === 1)).toBe(true);
  });
});

describe('samplerGuidance', () => {
  it('asks nothing without key or dynamics, and keeps the VELOCITY total when dynamics is asked', () => {
    expect(samplerGuidance(spec, {})).toBeUndefined();
    const guidance = samplerGuidance(spec, { dynamics: 'p' });
    expect(guidance?.idWeights).toHaveLength(PERFORMANCE_VOCAB_SIZE);
    expect(guidance?.keepTotals).toEqual([[VELOCITY_BASE, VELOCITY_BASE + VELOCITY_BINS]]);
  });
});
