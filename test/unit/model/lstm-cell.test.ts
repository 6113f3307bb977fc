import { describe, expect, it } from 'vitest';
import { createTfjsEngine } from '../../../src/model/engine/tfjs-engine.js';
import { parameterLayout, type ModelShape } from '../../../src/model/config.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { randomModel, tinyShape } from '../../../fixtures/model-fixtures.js';

/** The textbook LSTM in float64 straight from the Keras-layout parameters: h = o·tanh(c), c = f·c + i·tanh(g). */
function referenceLogits(shape: ModelShape, parameters: Float32Array, tokens: number[]): number[][] {
  const { units, layers, vocabSize, embeddingSize } = shape;
  const get = (name: string) => {
    const spec = parameterLayout(shape).find((candidate) => candidate.name === name)!;
    return parameters.subarray(spec.offset, spec.offset + spec.size);
  };
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const h = Array.from({ length: layers }, () => new Array<number>(units).fill(0));
  const c = Array.from({ length: layers }, () => new Array<number>(units).fill(0));
  return tokens.map((token) => {
    let input = Array.from(get('embedding/embeddings').subarray(token * embeddingSize, (token + 1) * embeddingSize));
    for (let layer = 0; layer < layers; layer++) {
      const [kernel, recurrent, bias] = ['kernel', 'recurrent_kernel', 'bias'].map((part) => get(`lstm_${layer + 1}/${part}`));
      const gate = (g: number) => {
        let sum = bias![g]!;
        input.forEach((x, k) => (sum += x * kernel![k * 4 * units + g]!));
        h[layer]!.forEach((x, k) => (sum += x * recurrent![k * 4 * units + g]!));
        return sum;
      };
      const next = Array.from({ length: units }, (_, k) => {
        const cell = sigmoid(gate(units + k)) * c[layer]![k]! + sigmoid(gate(k)) * Math.tanh(gate(2 * units + k));
        return [cell, sigmoid(gate(3 * units + k)) * Math.tanh(cell)] as const;
      });
      c[layer] = next.map(([cell]) => cell);
      h[layer] = next.map(([, hidden]) => hidden);
      input = h[layer]!;
    }
    const [kernel, bias] = [get('dense/kernel'), get('dense/bias')];
    return Array.from({ length: vocabSize }, (_, v) => input.reduce((sum, x, k) => sum + x * kernel[k * vocabSize + v]!, bias[v]!));
  });
}

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

  it.each([
    ['tiny, simd', tinyShape, true],
    ['tiny, plain JS', tinyShape, false],
    ['sizes not multiples of 4, 3 layers, simd', { vocabSize: 30, embeddingSize: 6, units: 10, layers: 3 }, true],
    ['sizes not multiples of 4, 3 layers, plain JS', { vocabSize: 30, embeddingSize: 6, units: 10, layers: 3 }, false],
  ] as const)('gives the reference logits within 1e-5 at every step (%s)', (_, shape, simd) => {
    const model = randomModel(shape, 3);
    const tokens = Array.from({ length: 12 }, (_, t) => (t * 7 + 3) % shape.vocabSize);
    const expected = referenceLogits(shape, model.parameters, tokens);
    const cell = new LstmCell(shape, model.parameters, { simd });
    expect(cell.simd).toBe(simd);
    tokens.forEach((token, t) => {
      cell.step(token);
      const worst = Math.max(...Array.from(cell.logits, (logit, v) => Math.abs(logit - expected[t]![v]!)));
      expect(worst).toBeLessThan(1e-5);
    });
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
