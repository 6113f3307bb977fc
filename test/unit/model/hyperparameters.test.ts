import { describe, expect, it } from 'vitest';
import { defaultHyperparameters, resolveHyperparameters } from '../../../src/model/hyperparameters.js';

describe('resolveHyperparameters', () => {
  it('keeps defaults where overrides are undefined, nested augment included', () => {
    const resolved = resolveHyperparameters({ batchSize: 8, learningRate: undefined, augment: { transpose: undefined, stretch: 0.1 } });
    expect(resolved).toEqual({ ...defaultHyperparameters, batchSize: 8, augment: { ...defaultHyperparameters.augment, stretch: 0.1 } });
  });

  it.each([[{ batchSize: 0 }], [{ learningRate: -1 }], [{ augment: { transpose: 13 } }]])('rejects %o', (overrides) => {
    expect(() => resolveHyperparameters(overrides)).toThrow();
  });
});
