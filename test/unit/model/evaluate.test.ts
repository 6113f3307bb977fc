import { describe, expect, it } from 'vitest';
import { createFastEngine } from '../../../src/model/engine/fast-engine.js';
import { evaluateSequences } from '../../../src/model/evaluate.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { controlLayout } from '../../../src/model/controls/control-spec.js';
import { keyboardSpec } from '../../../src/model/controls/keyboard-input.js';
import { randomModel, tinyControlSpec, tinyShape } from '../../../fixtures/model-fixtures.js';
import { performanceIds as ids } from '../../../src/tokens/performance-ids.js';

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

  it('feeds a keyboard model the keys each event leaves down, as the sampler’s cell does (fast engine)', async () => {
    const controls = { ...tinyControlSpec, keyboard: keyboardSpec };
    const layout = controlLayout(controls);
    const shape = { ...tinyShape, controlSize: layout.width };
    const model = randomModel(shape, 5);
    // The keyboard rows of the kernel large enough that a wrong key or age changes the NLL.
    model.parameters.forEach((_, i, parameters) => (parameters[i] = parameters[i]! * 4));
    const chord = (pitches: number[], held: number) => [
      ids.velocity(20),
      ...pitches.map((pitch) => ids.noteOn(pitch)),
      ids.timeShift(held),
      ...pitches.map((pitch) => ids.noteOff(pitch)),
    ];
    const sequences = [
      [...chord([60, 64, 67], 40), ...chord([62, 65], 90), ...chord([21, 108], 5)],
      [...chord([48], 100), ...chord([50, 53, 57, 60], 30)],
    ];
    const engine = await createFastEngine(shape);
    const scores = await evaluateSequences(engine, model.parameters, sequences, { steps: 4, batchSize: 2, controls });
    const blind = await evaluateSequences(engine, model.parameters, sequences, { steps: 4, batchSize: 2 });
    await engine.dispose();

    const cell = new LstmCell(shape, model.parameters, { keyboard: { spec: keyboardSpec, at: layout.keyboard } });
    const events = sequences.reduce((sum, sequence) => sum + sequence.length - 1, 0);
    const truth = sequences.reduce((sum, sequence) => sum + cellNll(cell, sequence).total, 0) / events;
    expect(scores.nllNatsPerEvent).toBeCloseTo(truth, 4);
    expect(Math.abs(blind.nllNatsPerEvent - truth)).toBeGreaterThan(0.01);
  });
});
