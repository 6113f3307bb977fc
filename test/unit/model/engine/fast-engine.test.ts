import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchShapeError } from '../../../../src/model/engine/check-batch.js';
import type { GradientEngine } from '../../../../src/model/engine/engine.js';
import { createFastEngine } from '../../../../src/model/engine/fast-engine.js';
import { createTfjsEngine } from '../../../../src/model/engine/tfjs-engine.js';
import { expectMatchesReference, randomBatch, randomParameters, smallShape, describeWithControls } from './engine-fixtures.js';

describe('fast engine', () => {
  let reference: GradientEngine;
  let fast: GradientEngine;
  beforeAll(async () => {
    reference = await createTfjsEngine(smallShape, { backend: 'cpu' });
    fast = await createFastEngine(smallShape);
  });
  afterAll(async () => {
    await Promise.all([reference.dispose(), fast.dispose()]);
  });

  describe.each([
    { withState: false, seed: 1 },
    { withState: true, seed: 2 },
  ])('matches the stock tfjs LSTM (initial state: $withState)', ({ withState, seed }) => {
    it('in loss, accuracy, every gradient tensor and the final state', async () => {
      await expectMatchesReference(reference, fast, seed, withState);
    });
  });

  it('with dropout, matches the stock tfjs LSTM fed the same masks, and differs from no dropout', async () => {
    const dropout = { rate: 0.3, seed: 9, firstSequence: 0 };
    await expectMatchesReference(reference, fast, 3, true, dropout);

    const parameters = randomParameters(smallShape, 3);
    const batch = randomBatch(smallShape, 3, 7, 103, true);
    const dropped = await fast.loss(parameters, { ...batch, dropout });
    expect((await fast.loss(parameters, { ...batch, dropout: { ...dropout, rate: 0 } })).loss).toBe((await fast.loss(parameters, batch)).loss);
    expect(dropped.loss).not.toBeCloseTo((await fast.loss(parameters, batch)).loss, 3);
  });

  it('gives the same loss from loss() as from lossAndGradients()', async () => {
    const parameters = randomParameters(smallShape, 3);
    const batch = randomBatch(smallShape, 2, 5, 4, true);
    const gradients = new Float32Array(parameters.length);

    const withGradients = await fast.lossAndGradients(parameters, batch, gradients);
    const forwardOnly = await fast.loss(parameters, batch);

    expect(forwardOnly.loss).toBe(withGradients.loss);
  });

  it('reads parameters backed by a SharedArrayBuffer', async () => {
    const parameters = randomParameters(smallShape, 5);
    const shared = new Float32Array(new SharedArrayBuffer(parameters.byteLength));
    shared.set(parameters);
    const batch = randomBatch(smallShape, 2, 4, 6, false);

    const [own, fromShared] = [await fast.loss(parameters, batch), await fast.loss(shared, batch)];

    expect(fromShared.loss).toBe(own.loss);
  });

  it('rejects token ids outside the vocabulary with a BatchShapeError', async () => {
    const batch = randomBatch(smallShape, 2, 4, 7, false);
    batch.inputs[3] = smallShape.vocabSize;

    await expect(fast.loss(randomParameters(smallShape, 1), batch)).rejects.toThrow(BatchShapeError);
  });

  describeWithControls(createFastEngine);
});
