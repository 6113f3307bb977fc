import { describe, expect, it } from 'vitest';
import { describeLocalApi } from '../../../src/local/local-openapi.js';
import { generateLimits } from '../../../src/pipeline/generate-params.js';
import { changedValues, decodingDefaults, limitsOf, type FieldLimits } from '../../../web/generate-fields.js';

const rubatoDefaults: Record<string, FieldLimits> = {
  temperature: { min: 0.1, max: 2, default: 1, exclusive: false, integer: false },
  topK: { min: 0, max: 388, default: 0, exclusive: false, integer: true },
  topP: { min: 0, max: 1, default: 0.95, exclusive: true, integer: false },
};

describe('limitsOf', () => {
  it('reads the bounds the server enforces from its own OpenAPI description, not a copy', () => {
    const limits = limitsOf(JSON.parse(JSON.stringify(describeLocalApi())));

    expect(limits.topK).toMatchObject({ min: generateLimits.topK.min, max: generateLimits.topK.max, integer: true, exclusive: false });
    expect(limits.temperature).toMatchObject({ min: generateLimits.temperature.min, max: generateLimits.temperature.max, integer: false });
    expect(limits.topP).toMatchObject({ min: 0, max: generateLimits.topP.max, exclusive: true });
    expect(limits.seconds).toMatchObject({ min: generateLimits.seconds.min, max: generateLimits.seconds.max });
    expect(limits.seed).toMatchObject({ min: generateLimits.seed.min, max: generateLimits.seed.max, integer: true });
    expect(Object.keys(limits).sort()).toEqual(['seconds', 'seed', 'temperature', 'topK', 'topP']);
  });
});

describe('decodingDefaults', () => {
  it.each([
    ['no per-model defaults (null)', null, false, { temperature: 1, topK: 0, topP: 0.95 }],
    ['no per-model defaults (absent, before the server has them)', undefined, true, { temperature: 1, topK: 0, topP: 0.95 }],
    ['the model\'s own for a free piece', { topP: 0.99, temperature: 0.9 }, false, { temperature: 0.9, topK: 0, topP: 0.99 }],
    ['withPrimer ignored for a free piece', { topP: 0.9, withPrimer: { topP: 0.99 } }, false, { temperature: 1, topK: 0, topP: 0.9 }],
    ['withPrimer over the model\'s own for a continuation', { topP: 0.9, topK: 40, withPrimer: { topP: 0.99 } }, true, { temperature: 1, topK: 40, topP: 0.99 }],
  ] as const)('%s', (_case, sampling, withPrimer, expected) => {
    expect(decodingDefaults(rubatoDefaults, sampling, withPrimer)).toEqual(expected);
  });
});

describe('changedValues', () => {
  it('sends only what differs from the default shown, as numbers; empty fields are not given', () => {
    const values = { seconds: '20', temperature: '1', topK: '40', topP: '0.99', seed: '' };
    const defaults = { seconds: 20, temperature: 1, topK: 0, topP: 0.99 };

    expect(changedValues(values, defaults)).toEqual({ topK: 40 });
  });

  it('sends a field the server has no default for (seed, or seconds without one) whenever it is filled', () => {
    expect(changedValues({ seconds: '8', seed: '7' }, {})).toEqual({ seconds: 8, seed: 7 });
  });
});
