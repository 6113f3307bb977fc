import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { adamStep, createAdamState } from '../../../src/model/adam.js';

describe('adamStep', () => {
  it('matches tf.train.adam over several steps', async () => {
    const initial = Float32Array.from([0.5, -1, 2, 0]);
    const gradientsPerStep = [
      [0.1, -0.2, 0.3, 0],
      [-0.5, 0.4, 0.1, 1],
      [0.2, 0.2, -0.9, -1],
    ].map((values) => Float32Array.from(values));
    const parameters = Float32Array.from(initial);
    const state = createAdamState(parameters.length);
    const variable = tf.variable(tf.tensor1d(initial));
    const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    for (const gradients of gradientsPerStep) {
      adamStep(parameters, gradients, state, 0.01);
      optimizer.applyGradients([{ name: variable.name, tensor: tf.tensor1d(gradients) }]);
    }
    const expected = await variable.data();
    parameters.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    expect(state.t).toBe(3);
  });

  it('decays only the masked entries when weight decay is on', () => {
    const parameters = Float32Array.from([1, 1]);
    adamStep(parameters, new Float32Array(2), createAdamState(2), 0.1, 0.5, Uint8Array.from([1, 0]));
    expect(parameters[0]).toBeCloseTo(0.95, 6);
    expect(parameters[1]).toBe(1);
  });
});
