import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientEngine } from '../../../../src/model/engine/engine.js';
import { createTfjsEngine } from '../../../../src/model/engine/tfjs-engine.js';
import { parameterLayout } from '../../../../src/model/config.js';
import { randomBatch, randomParameters, smallShape } from './engine-fixtures.js';

describe('tfjs reference engine', () => {
  let engine: GradientEngine;
  beforeAll(async () => {
    engine = await createTfjsEngine(smallShape, { backend: 'cpu' });
  });
  afterAll(() => engine.dispose());

  it.each([
    { dropout: 'none', batch: () => randomBatch(smallShape, 3, 7, 12, true) },
    { dropout: 'rate 0.3', batch: () => ({ ...randomBatch(smallShape, 3, 7, 12, true), dropout: { rate: 0.3, seed: 5, firstSequence: 0 } }) },
  ])('has gradients that agree with central finite differences of its loss (dropout: $dropout)', async ({ batch: makeBatch }) => {
    const parameters = randomParameters(smallShape, 11);
    const batch = makeBatch();
    const gradients = new Float32Array(parameters.length);
    await engine.lossAndGradients(parameters, batch, gradients);
    // The largest-gradient coordinate of a few tensors across the network, so the difference quotient is well above round-off.
    const coordinates = ['embedding/embeddings', 'lstm_1/recurrent_kernel', 'lstm_2/bias', 'dense/kernel'].map((name) => {
      const spec = parameterLayout(smallShape).find((candidate) => candidate.name === name)!;
      let best = spec.offset;
      for (let i = spec.offset; i < spec.offset + spec.size; i++) if (Math.abs(gradients[i]!) > Math.abs(gradients[best]!)) best = i;
      return best;
    });

    for (const index of coordinates) {
      const step = 1e-2;
      const shifted = parameters.slice();
      shifted[index]! += step;
      const above = (await engine.loss(shifted, batch)).loss;
      shifted[index]! -= 2 * step;
      const below = (await engine.loss(shifted, batch)).loss;
      const numeric = (above - below) / (2 * step);

      expect(Math.abs(numeric - gradients[index]!), `coordinate ${index}`).toBeLessThanOrEqual(2e-3 * Math.abs(gradients[index]!) + 2e-5);
    }
  });

  it('returns the final state of every layer', async () => {
    const result = await engine.loss(randomParameters(smallShape, 13), randomBatch(smallShape, 2, 3, 14, false));

    expect(result.finalState.h.map((h) => h.length)).toEqual([32, 32]);
    expect(result.finalState.c.map((c) => c.length)).toEqual([32, 32]);
    expect(result.count).toBe(6);
  });
});
