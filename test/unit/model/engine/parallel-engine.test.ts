import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientEngine } from '../../../../src/model/engine/engine.js';
import { createParallelEngine, splitBatch } from '../../../../src/model/engine/parallel-engine.js';
import { createTfjsEngine } from '../../../../src/model/engine/tfjs-engine.js';
import { expectMatchesReference, randomBatch, randomParameters, smallShape, describeWithControls } from './engine-fixtures.js';

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

  it('draws the dropout masks one engine would draw for the whole batch', async () => {
    await expectMatchesReference(reference, parallel, 23, true, { rate: 0.25, seed: 4, firstSequence: 0 });
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

  describeWithControls((shape) => createParallelEngine(shape, { workers: 2 }));
});
