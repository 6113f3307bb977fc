import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientEngine } from '../../../../src/model/engine/engine.js';
import { createParallelEngine, splitBatch } from '../../../../src/model/engine/parallel-engine.js';
import { createTfjsEngine } from '../../../../src/model/engine/tfjs-engine.js';
import { expectMatchesReference, randomBatch, randomParameters, smallShape, controlledShape } from './engine-fixtures.js';

describe('parallel engine', () => {
  let reference: GradientEngine;
  let parallel: GradientEngine;
  beforeAll(async () => {
    reference = await createTfjsEngine(smallShape, { backend: 'cpu' });
    parallel = await createParallelEngine(smallShape, { workers: 2 });
  });
  afterAll(async () => {
    await Promise.all([reference.dispose(), parallel.dispose()]);
  });

  describe.each([
    { withState: false, seed: 21 },
    { withState: true, seed: 22 },
  ])('matches the stock tfjs LSTM on a batch split unevenly over two workers (initial state: $withState)', ({ withState, seed }) => {
    it('in loss, accuracy, every gradient tensor and the final state', async () => {
      await expectMatchesReference(reference, parallel, seed, withState);
    });
  });

  it('runs a batch of one sequence on one worker', async () => {
    const batch = randomBatch(smallShape, 1, 4, 30, false);

    const result = await parallel.loss(randomParameters(smallShape, 31), batch);

    expect(result.count).toBe(4);
    expect(result.finalState.h[0]).toHaveLength(smallShape.units);
  });
});

describe('splitBatch', () => {
  it('splits whole sequences and their initial states in order', () => {
    const batch = randomBatch(smallShape, 5, 3, 40, true);

    const parts = splitBatch(batch, smallShape.units, 2);

    expect(parts.map((part) => part.batchSize)).toEqual([2, 3]);
    expect(Array.from(parts[1]!.inputs)).toEqual(Array.from(batch.inputs.slice(6)));
    expect(Array.from(parts[1]!.initialState!.c[1]!)).toEqual(Array.from(batch.initialState!.c[1]!.slice(2 * smallShape.units)));
  });

  describe('with control inputs concatenated to the embedding', () => {
    let controlledReference: GradientEngine;
    let controlled: GradientEngine;
    beforeAll(async () => {
      controlledReference = await createTfjsEngine(controlledShape, { backend: 'cpu' });
      controlled = await createParallelEngine(controlledShape, { workers: 2 });
    });
    afterAll(async () => {
      await Promise.all([controlledReference.dispose(), controlled.dispose()]);
    });

    it.each([false, true])('matches the stock tfjs LSTM in loss, gradients and state (initial state: %s)', async (withState) => {
      await expectMatchesReference(controlledReference, controlled, withState ? 42 : 41, withState);
    });

    it('reads a batch without controls as all controls zero', async () => {
      const parameters = randomParameters(controlledShape, 43);
      const batch = randomBatch(controlledShape, 2, 5, 44, false);
      const zeros = await controlled.loss(parameters, { ...batch, controls: new Float32Array(batch.controls!.length) });
      const { controls: _dropped, ...withoutControls } = batch;

      const none = await controlled.loss(parameters, withoutControls);

      expect(none.loss).toBeCloseTo(zeros.loss, 6);
    });
  });
});
