import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsEngine } from '../../../../src/model/engine/tfjs-engine.js';
import type { ModelShape } from '../../../../src/model/config.js';
import { parameterCount, parameterLayout } from '../../../../src/model/config.js';
import type { Dropout } from '../../../../src/model/engine/dropout.js';
import type { Batch, GradientEngine, RecurrentState } from '../../../../src/model/engine/engine.js';
import { SeededRandom } from '../../../../src/model/random.js';

export const smallShape: ModelShape = { vocabSize: 40, embeddingSize: 8, units: 16, layers: 2 };
/** The same with five control inputs concatenated to the embedding. */
export const controlledShape: ModelShape = { ...smallShape, controlSize: 5 };

export function randomParameters(shape: ModelShape, seed: number, scale = 0.8): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: parameterCount(shape) }, () => (random.next() - 0.5) * scale);
}

export function randomBatch(shape: ModelShape, batchSize: number, steps: number, seed: number, withState: boolean): Batch {
  const random = new SeededRandom(seed);
  const ids = () => Int32Array.from({ length: batchSize * steps }, () => Math.floor(random.next() * shape.vocabSize));
  const states = () => Array.from({ length: shape.layers }, () => Float32Array.from({ length: batchSize * shape.units }, () => random.next() - 0.5));
  const initialState: RecurrentState | undefined = withState ? { h: states(), c: states() } : undefined;
  const controlSize = shape.controlSize ?? 0;
  const controls = controlSize > 0 ? Float32Array.from({ length: batchSize * steps * controlSize }, () => random.next()) : undefined;
  return { inputs: ids(), targets: ids(), batchSize, steps, initialState, ...(controls ? { controls } : {}) };
}

/**
 * Runs both engines on the same random weights and a 3 × 7 batch (with `dropout`, the same masks), and asserts the candidate matches the reference in
 * loss, accuracy, every gradient tensor (1e-5, relative above 1) and the final state.
 */
export async function expectMatchesReference(reference: GradientEngine, candidate: GradientEngine, seed: number, withState: boolean, dropout?: Dropout) {
  const parameters = randomParameters(reference.shape, seed);
  const batch = { ...randomBatch(reference.shape, 3, 7, seed + 100, withState), ...(dropout ? { dropout } : {}) };
  const expectedGradients = new Float32Array(parameters.length);
  const actualGradients = new Float32Array(parameters.length);
  const expected = await reference.lossAndGradients(parameters, batch, expectedGradients);
  const actual = await candidate.lossAndGradients(parameters, batch, actualGradients);
  const gradientErrors = parameterLayout(reference.shape).map((spec) => {
    let worst = 0;
    for (let i = spec.offset; i < spec.offset + spec.size; i++) {
      const tolerance = 1e-5 * Math.max(1, Math.abs(expectedGradients[i]!));
      worst = Math.max(worst, Math.abs(expectedGradients[i]! - actualGradients[i]!) / tolerance);
    }
    return { name: spec.name, worstRelativeToTolerance: worst };
  });
  let stateError = 0;
  for (const part of ['h', 'c'] as const)
    expected.finalState[part].forEach((values, layer) =>
      values.forEach((value, i) => (stateError = Math.max(stateError, Math.abs(value - actual.finalState[part][layer]![i]!)))),
    );
  expect(Math.abs(actual.loss - expected.loss)).toBeLessThanOrEqual(1e-5 * expected.loss);
  expect(actual.correct).toBe(expected.correct);
  expect(actual.count).toBe(21);
  expect(gradientErrors.filter((error) => error.worstRelativeToTolerance > 1)).toEqual([]);
  expect(stateError).toBeLessThanOrEqual(1e-5);
}

/**
 * The tests every engine must pass with control inputs concatenated to the embedding: it matches the stock tfjs
 * layers fed the same controls, and a batch without controls reads as all controls zero.
 */
export function describeWithControls(create: (shape: ModelShape) => Promise<GradientEngine>): void {
  describe('with control inputs concatenated to the embedding', () => {
    let reference: GradientEngine;
    let candidate: GradientEngine;
    beforeAll(async () => {
      reference = await createTfjsEngine(controlledShape, { backend: 'cpu' });
      candidate = await create(controlledShape);
    });
    afterAll(async () => {
      await Promise.all([reference.dispose(), candidate.dispose()]);
    });

    it.each([false, true])('matches the stock tfjs LSTM in loss, gradients and state (initial state: %s)', async (withState) => {
      await expectMatchesReference(reference, candidate, withState ? 42 : 41, withState);
    });

    it('reads a batch without controls as all controls zero', async () => {
      const parameters = randomParameters(controlledShape, 43);
      const batch = randomBatch(controlledShape, 2, 5, 44, false);
      const zeros = await candidate.loss(parameters, { ...batch, controls: new Float32Array(batch.controls!.length) });
      const { controls: _dropped, ...withoutControls } = batch;

      const none = await candidate.loss(parameters, withoutControls);

      expect(none.loss).toBeCloseTo(zeros.loss, 6);
    });
  });
}
