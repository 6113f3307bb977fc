import { describe, expect, it } from 'vitest';
import { createSampler, SamplingError, type GenerateOptions } from '../../../src/model/sampler.js';
import { randomModel } from './model-fixtures.js';

const base: GenerateOptions = { maxEvents: 200, temperature: 1, topK: 0, topP: 1, seed: 7 };

describe('createSampler', () => {
  it('replays the same piece for the same seed and another for another seed', () => {
    const sampler = createSampler(randomModel());
    const first = sampler.generate(base);
    expect(first).toHaveLength(200);
    expect(sampler.generate(base)).toEqual(first);
    expect(sampler.generate({ ...base, seed: 8 })).not.toEqual(first);
  });

  it('keeps only the top-k ids', () => {
    const model = randomModel();
    const sampler = createSampler(model);
    const greedy = sampler.generate({ ...base, topK: 1 });
    // Greedy decoding is independent of the seed.
    expect(sampler.generate({ ...base, topK: 1, seed: 99 })).toEqual(greedy);
    expect(new Set(sampler.generate({ ...base, topK: 3, maxEvents: 1 }))).toSatisfy((ids: Set<number>) => ids.size === 1);
  });

  it('continues a primer: the primer changes what follows', () => {
    const sampler = createSampler(randomModel());
    expect(sampler.generate({ ...base, primer: [60, 300, 188] })).not.toEqual(sampler.generate(base));
  });

  it('stops at a length in seconds', () => {
    const sampler = createSampler(randomModel(), { secondsOf: () => 0.5 });
    expect(sampler.generate({ ...base, maxEvents: undefined, maxSeconds: 3 })).toHaveLength(6);
  });

  it('stops at the deadline', () => {
    const sampler = createSampler(randomModel());
    expect(sampler.generate({ ...base, maxEvents: undefined, deadline: Date.now() - 1 })).toHaveLength(0);
  });

  it.each([
    [{ temperature: 0 }, /temperature/],
    [{ topP: 0 }, /topP/],
    [{ topK: -1 }, /topK/],
    [{ maxEvents: undefined }, /never stop/],
    [{ maxSeconds: 2 }, /tokenizer/],
  ])('rejects %o', (overrides, message) => {
    expect(() => createSampler(randomModel()).generate({ ...base, ...overrides })).toThrow(SamplingError);
    expect(() => createSampler(randomModel()).generate({ ...base, ...overrides })).toThrow(message);
  });
});
