import { describe, expect, it } from 'vitest';
import { createTfjsEngine } from '../../../src/model/engine/tfjs-engine.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { randomModel } from './model-fixtures.js';

describe('LstmCell', () => {
  it('gives the reference engine’s loss, one event at a time', async () => {
    const model = randomModel();
    const sequence = [60, 5, 300, 200, 60, 387, 0, 42, 42, 7];
    const engine = await createTfjsEngine(model.shape, { backend: 'cpu' });
    const inputs = Int32Array.from(sequence.slice(0, -1));
    const targets = Int32Array.from(sequence.slice(1));
    const expected = await engine.loss(model.parameters, { inputs, targets, batchSize: 1, steps: inputs.length });

    const cell = new LstmCell(model.shape, model.parameters);
    let nll = 0;
    inputs.forEach((token, t) => {
      cell.step(token);
      const logits = Array.from(cell.logits);
      const maximum = Math.max(...logits);
      const logSum = maximum + Math.log(logits.reduce((sum, value) => sum + Math.exp(value - maximum), 0));
      nll += logSum - logits[targets[t]!]!;
    });
    expect(nll / inputs.length).toBeCloseTo(expected.loss, 5);
    await engine.dispose();
  });

  it('starts from the dense bias after reset', () => {
    const model = randomModel();
    const cell = new LstmCell(model.shape, model.parameters);
    cell.step(3);
    cell.reset();
    const bias = model.parameters.subarray(model.parameters.length - model.shape.vocabSize);
    expect(Array.from(cell.logits)).toEqual(Array.from(bias));
  });

  it('rejects ids outside the vocabulary', () => {
    const model = randomModel();
    expect(() => new LstmCell(model.shape, model.parameters).step(388)).toThrow(RangeError);
  });
});
