import { describe, expect, it } from 'vitest';
import { createFastEngine } from '../../../src/model/engine/fast-engine.js';
import { evaluateSequences } from '../../../src/model/evaluate.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { randomModel } from '../../../fixtures/model-fixtures.js';

/** NLL of a sequence run event by event through the JS cell from zero state: the ground truth. */
function cellNll(cell: LstmCell, ids: number[]): { total: number; correct: number } {
  cell.reset();
  let total = 0;
  let correct = 0;
  for (let t = 0; t + 1 < ids.length; t++) {
    cell.step(ids[t]!);
    const logits = Array.from(cell.logits);
    const maximum = Math.max(...logits);
    total += maximum + Math.log(logits.reduce((sum, value) => sum + Math.exp(value - maximum), 0)) - logits[ids[t + 1]!]!;
    if (logits.indexOf(maximum) === ids[t + 1]) correct += 1;
  }
  return { total, correct };
}

describe('evaluateSequences', () => {
  it('carries the state through whole files of uneven length, tails included', async () => {
    const model = randomModel();
    const sequences = [37, 5, 20, 9, 2].map((length, file) => Array.from({ length }, (_, i) => (i * (file + 3) * 7 + file) % 388));
    const engine = await createFastEngine(model.shape);
    const scores = await evaluateSequences(engine, model.parameters, sequences, { steps: 8, batchSize: 3 });
    await engine.dispose();

    const cell = new LstmCell(model.shape, model.parameters);
    const truth = sequences.map((ids) => cellNll(cell, ids));
    const events = sequences.reduce((sum, ids) => sum + ids.length - 1, 0);
    expect(scores.events).toBe(events);
    expect(scores.nllNatsPerEvent).toBeCloseTo(truth.reduce((sum, file) => sum + file.total, 0) / events, 4);
    expect(scores.accuracy).toBeCloseTo(truth.reduce((sum, file) => sum + file.correct, 0) / events, 6);
    expect(scores.perplexity).toBeCloseTo(Math.exp(scores.nllNatsPerEvent), 6);
  });
});
