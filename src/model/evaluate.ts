import { validationBatches, type ValidationBatch } from '../dataset/windows.js';
import { controlLayout, type ControlSpec } from './controls/control-spec.js';
import { KeyboardState, writeKeyboardInputs } from './controls/keyboard-input.js';
import type { Batch, GradientEngine, RecurrentState } from './engine/engine.js';
import { selectEngine, type EngineChoice } from './engine/select-engine.js';
import type { EvaluationScores } from './manifest.js';
import type { LoadedModel } from './model-files.js';

export interface EvaluateOptions {
  /** Window length of each forward pass; the state is carried from one window to the next within a file. */
  steps: number;
  /** Files evaluated side by side. */
  batchSize: number;
  /** The model's controls: none are given, but a keyboard input (when it has one) is fed as the sampler feeds it. */
  controls?: ControlSpec;
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
  const units = engine.shape.units;
  const batches = validationBatches(sequences, options.batchSize, options.steps);
  const keyboardInputs = options.controls?.keyboard ? keyboardWriter(options.controls) : undefined;
  // Final states of earlier batches that a later row continues, dropped once the last such row has run.
  const lastUse = new Map<number, number>();
  batches.forEach(({ stateFrom }, index) => stateFrom.forEach((from) => from && lastUse.set(from[0], index)));
  const finalStates = new Map<number, RecurrentState>();
  let totalLoss = 0;
  let correct = 0;
  let count = 0;
  for (const [index, { batch, stateFrom, sources }] of batches.entries()) {
    const initialState = stateFrom.some((from) => from !== undefined) ? gatherRows(stateFrom, finalStates, units, engine.shape.layers) : undefined;
    const controls = keyboardInputs?.(batch, sources);
    const result = await engine.loss(parameters, { ...batch, ...(initialState ? { initialState } : {}), ...(controls ? { controls } : {}) });
    totalLoss += result.loss * result.count;
    correct += result.correct;
    count += result.count;
    if (lastUse.has(index)) finalStates.set(index, result.finalState);
    for (const [from, last] of lastUse) if (last === index) finalStates.delete(from);
  }
  return scoresOf(totalLoss, correct, count);
}

/** Control inputs of a validation batch: zeros but for the keyboard block. */
function keyboardWriter(spec: ControlSpec): (batch: Batch, sources: ValidationBatch['sources']) => Float32Array {
  const layout = controlLayout(spec);
  const keys = new KeyboardState(spec.keyboard!);
  return (batch, sources) => {
    const controls = new Float32Array(batch.batchSize * batch.steps * layout.width);
    sources.forEach(([sequence, start], row) =>
      writeKeyboardInputs(keys, sequence, start, start + batch.steps, controls, row * batch.steps * layout.width + layout.keyboard, layout.width),
    );
    return controls;
  };
}

/** Scores from summed NLL and counts. */
export function scoresOf(totalLoss: number, correct: number, count: number): EvaluationScores {
  const nllNatsPerEvent = count > 0 ? totalLoss / count : NaN;
  return { nllNatsPerEvent, perplexity: Math.exp(nllNatsPerEvent), accuracy: count > 0 ? correct / count : NaN, events: count };
}

/** Initial state of each row: the named row of an earlier batch's final state, or zeros. */
function gatherRows(
  stateFrom: ReadonlyArray<readonly [number, number] | undefined>,
  finalStates: Map<number, RecurrentState>,
  units: number,
  layers: number,
): RecurrentState {
  const rows = stateFrom.length;
  const state: RecurrentState = {
    h: Array.from({ length: layers }, () => new Float32Array(rows * units)),
    c: Array.from({ length: layers }, () => new Float32Array(rows * units)),
  };
  stateFrom.forEach((from, row) => {
    if (!from) return;
    const source = finalStates.get(from[0])!;
    for (let layer = 0; layer < layers; layer++) {
      state.h[layer]!.set(source.h[layer]!.subarray(from[1] * units, (from[1] + 1) * units), row * units);
      state.c[layer]!.set(source.c[layer]!.subarray(from[1] * units, (from[1] + 1) * units), row * units);
    }
  });
  return state;
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
      ...(model.manifest.controls ? { controls: model.manifest.controls } : {}),
    });
  } finally {
    await engine.dispose();
  }
}
