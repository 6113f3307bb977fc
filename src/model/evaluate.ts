import type { GradientEngine, RecurrentState } from './engine/engine.js';
import { selectEngine, type EngineChoice } from './engine/select-engine.js';
import type { EvaluationScores } from './manifest.js';
import type { LoadedModel } from './model-files.js';

export interface EvaluateOptions {
  /** Window length of each forward pass; the state is carried from one window to the next within a file. */
  steps: number;
  /** Files evaluated side by side. */
  batchSize: number;
}

/**
 * NLL (nats/event), perplexity and next-event accuracy of the parameters on whole sequences, the state carried
 * through each sequence window by window from zero state, as the sampler runs.
 *
 * @example
 * const scores = await evaluateSequences(engine, parameters, validationTokens, { steps: 128, batchSize: 32 });
 */
export async function evaluateSequences(
  engine: GradientEngine,
  parameters: Float32Array,
  sequences: readonly ArrayLike<number>[],
  options: EvaluateOptions,
): Promise<EvaluationScores> {
  const { steps, batchSize } = options;
  const units = engine.shape.units;
  // Longest first: the files with a window at index w are then always a prefix of the group.
  const sorted = sequences.filter((ids) => ids.length > 1).sort((a, b) => b.length - a.length);
  let totalLoss = 0;
  let correct = 0;
  let count = 0;
  const add = (result: { loss: number; correct: number; count: number }) => {
    totalLoss += result.loss * result.count;
    correct += result.correct;
    count += result.count;
  };
  for (let start = 0; start < sorted.length; start += batchSize) {
    const group = sorted.slice(start, start + batchSize);
    const windowsOf = group.map((ids) => Math.floor((ids.length - 1) / steps));
    let state: RecurrentState | undefined;
    const stateAfterLastWindow: Array<RecurrentState | undefined> = group.map(() => undefined);
    for (let window = 0; window < windowsOf[0]!; window++) {
      const rows = windowsOf.filter((windows) => windows > window).length;
      const inputs = new Int32Array(rows * steps);
      const targets = new Int32Array(rows * steps);
      for (let row = 0; row < rows; row++) {
        const ids = group[row]!;
        for (let t = 0; t < steps; t++) {
          inputs[row * steps + t] = ids[window * steps + t]!;
          targets[row * steps + t] = ids[window * steps + t + 1]!;
        }
      }
      const result = await engine.loss(parameters, {
        inputs,
        targets,
        batchSize: rows,
        steps,
        ...(state ? { initialState: takeRows(state, rows, units) } : {}),
      });
      add(result);
      state = result.finalState;
      for (let row = 0; row < rows; row++) {
        if (windowsOf[row] === window + 1) stateAfterLastWindow[row] = pickRow(state, row, units);
      }
    }
    // The tail of each file, shorter than a window, runs on its own from the state its full windows left.
    for (let row = 0; row < group.length; row++) {
      const ids = group[row]!;
      const from = windowsOf[row]! * steps;
      const tail = ids.length - 1 - from;
      if (tail === 0) continue;
      const inputs = new Int32Array(tail);
      const targets = new Int32Array(tail);
      for (let t = 0; t < tail; t++) {
        inputs[t] = ids[from + t]!;
        targets[t] = ids[from + t + 1]!;
      }
      const initialState = stateAfterLastWindow[row];
      add(await engine.loss(parameters, { inputs, targets, batchSize: 1, steps: tail, ...(initialState ? { initialState } : {}) }));
    }
  }
  return scoresOf(totalLoss, correct, count);
}

/** Scores from summed NLL and counts. */
export function scoresOf(totalLoss: number, correct: number, count: number): EvaluationScores {
  const nllNatsPerEvent = count > 0 ? totalLoss / count : NaN;
  return { nllNatsPerEvent, perplexity: Math.exp(nllNatsPerEvent), accuracy: count > 0 ? correct / count : NaN, events: count };
}

function takeRows(state: RecurrentState, rows: number, units: number): RecurrentState {
  return {
    h: state.h.map((layer) => layer.slice(0, rows * units)),
    c: state.c.map((layer) => layer.slice(0, rows * units)),
  };
}

function pickRow(state: RecurrentState, row: number, units: number): RecurrentState {
  return {
    h: state.h.map((layer) => layer.slice(row * units, (row + 1) * units)),
    c: state.c.map((layer) => layer.slice(row * units, (row + 1) * units)),
  };
}

/**
 * Scores a loaded model on whole token sequences with a forward-only engine (the fastest available, one thread).
 *
 * @example
 * const scores = await evaluateModel(await loadModel(store, 'models/default/'), validationTokens);
 */
export async function evaluateModel(
  model: LoadedModel,
  sequences: readonly ArrayLike<number>[],
  options: Partial<EvaluateOptions> & { engine?: EngineChoice } = {},
): Promise<EvaluationScores> {
  const engine = await selectEngine(model.shape, { engine: options.engine ?? 'auto', workers: 1, log: () => {} });
  try {
    return await evaluateSequences(engine, model.parameters, sequences, {
      steps: options.steps ?? 128,
      batchSize: options.batchSize ?? 32,
    });
  } finally {
    await engine.dispose();
  }
}
