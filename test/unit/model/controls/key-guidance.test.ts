import { describe, expect, it } from 'vitest';
import { keyGuidance, keyProfile } from '../../../../src/model/controls/key-guidance.js';
import { NOTE_OFF_BASE, PERFORMANCE_VOCAB_SIZE } from '../../../../src/tokens/performance-ids.js';
import { tinyControlSpec } from '../../../../fixtures/model-fixtures.js';

const dMinor = { tonic: 2, mode: 'minor' } as const;

describe('keyProfile', () => {
  it('turns the learned profile to the tonic and sharpens it like a 10-s window: sums to 1, tonic share grows', () => {
    const flat = keyProfile(tinyControlSpec, dMinor, 1);
    const sharp = keyProfile(tinyControlSpec, dMinor);

    expect(flat[2]).toBeCloseTo(tinyControlSpec.keyProfiles.minor[0]!);
    expect(flat[5]).toBeCloseTo(tinyControlSpec.keyProfiles.minor[3]!);
    expect(sharp.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(sharp[2]).toBeGreaterThan(flat[2]!);
    expect(sharp.indexOf(Math.max(...sharp))).toBe(2);
  });
});

describe('keyGuidance', () => {
  it('leaves the tonic and every non-NOTE_ON as the model says and lowers notes outside the scale most', () => {
    const weights = keyGuidance(tinyControlSpec, dMinor);

    expect(weights).toHaveLength(PERFORMANCE_VOCAB_SIZE);
    for (const tonic of [2, 14, 62, 122]) expect(weights[tonic]).toBe(1);
    expect(Array.from(weights.subarray(NOTE_OFF_BASE)).every((weight) => weight === 1)).toBe(true);
    // In D minor, F (5) is in the scale and D# (3) is not.
    expect(weights[60 + 5]).toBeLessThan(1);
    expect(weights[60 + 3]).toBeLessThan(weights[60 + 5]!);
    expect(weights[60 + 5]).toBe(weights[48 + 5]);
  });

  it('changes nothing at strength 0', () => {
    expect(Array.from(keyGuidance(tinyControlSpec, dMinor, 0)).every((weight) => weight === 1)).toBe(true);
  });
});
