import type { Dataset } from '../dataset/dataset-store.js';
import type { Store } from '../store/store.js';
import { parameterCount, type ModelShape } from './config.js';
import { controlLayout, type ControlSpec } from './controls/control-spec.js';
import { KEYBOARD_KEYS } from './controls/keyboard-input.js';
import type { GradientEngine } from './engine/engine.js';
import { selectEngine, type EngineChoice } from './engine/select-engine.js';
import type { TrainHyperparameters } from './hyperparameters.js';
import type { ModelManifest } from './manifest.js';
import type { TrainProgressEvent } from './progress-log.js';
import { saveTrainedModel } from './train-manifest.js';
import { checkpointDue, elapsedSeconds, recordEvent, startSession, writeCheckpoint, type TrainSession } from './train-session.js';
import { trainStep } from './train-step.js';
import { patienceRunOut, recordBaselines, validate, validationBaselines } from './train-validation.js';
import { prepareTrainingData, type StoredSplit, type TrainingData } from './training-data.js';

export type { TrainProgressEvent } from './progress-log.js';

export interface TrainRunOptions {
  dataset: Dataset;
  /** Which files validate; without it the dataset layer's piece-aware hash decides. */
  split?: StoredSplit;
  store: Store;
  /** Output prefix: model files, `progress.jsonl` and `checkpoint/` go under it. */
  prefix: string;
  shape: ModelShape;
  hyperparameters: TrainHyperparameters;
  /** The control vocabulary to train with (a fine-tuned run keeps its parent's); derived from the data when absent. */
  controls?: ControlSpec;
  /** Wall-clock budget, validation included. */
  minutes: number;
  maxSteps?: number;
  /**
   * An engine choice, an engine built for the run's shape, or a factory given that shape (the run disposes what it
   * builds). With controls the shape's input width comes from the data, so tests that bring their own engine pass a
   * factory.
   */
  engine: GradientEngine | EngineChoice | ((shape: ModelShape) => Promise<GradientEngine>);
  /** With an engine choice: most worker threads for the fast engine (default: every core the batch can keep busy). */
  threads?: number;
  /** Precision of the published weights; float16 halves the files (default float32). */
  weightsDtype?: 'float32' | 'float16';
  /** Continue from `<prefix>checkpoint/` when one is there. */
  resume: boolean;
  /** Abort → finish the current step, checkpoint, return `stoppedBy: 'signal'`. */
  signal?: AbortSignal;
  onProgress?(event: TrainProgressEvent): void;
  /** Plain log lines (engine, hyperparameters, validations); console.log when absent. */
  log?(line: string): void;
}

export type StopReason = 'budget' | 'max-steps' | 'early-stop' | 'signal';

export interface TrainSummary {
  stoppedBy: StopReason;
  steps: number;
  elapsedSeconds: number;
  /** The published model's manifest; absent when stopped by a signal (a checkpoint was written instead). */
  manifest?: ModelManifest;
}

/**
 * Trains the LSTM on a dataset within a wall-clock budget: Adam with warm-up and cosine decay, global-norm clipping,
 * validation every `validationEvery` steps (best parameters kept, early stopping), checkpoints every few minutes and
 * on abort, `progress.jsonl`, and finally the model files and manifest of the best parameters under `prefix`.
 *
 * @example
 * const summary = await trainModel({ dataset, store, prefix: 'models/run-1/', shape, hyperparameters,
 *   minutes: 32, engine: 'auto', resume: true, signal });
 */
export async function trainModel(options: TrainRunOptions): Promise<TrainSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const data = prepareTrainingData(options.dataset, options.hyperparameters, options.split, options.controls);
  const shape = runShape(options.shape, data);
  const { engine, owned } = await openEngine(options, shape, data.hyperparameters.batchSize, log);
  try {
    if (parameterCount(engine.shape) !== parameterCount(shape)) {
      throw new RangeError(`the engine was built for ${JSON.stringify(engine.shape)} but this run trains ${JSON.stringify(shape)} (controls change the input width)`);
    }
    logSetup(log, shape, data);
    const baselines = validationBaselines(data, shape.vocabSize);
    const { store, prefix, maxSteps, onProgress } = options;
    const session = await startSession({ store, prefix, data, shape, engine, budgetSeconds: options.minutes * 60, maxSteps, log, onProgress }, options.resume);
    recordBaselines(session, baselines);
    const stoppedBy = await trainUntilStopped(session, options.signal);
    const { state } = session;
    recordEvent(state, stoppedBy);
    if (stoppedBy === 'signal') {
      await writeCheckpoint(session);
      log(`stopped by signal at step ${state.step}; checkpoint written, continue with --resume`);
      return { stoppedBy, steps: state.step, elapsedSeconds: elapsedSeconds(session) };
    }
    if (session.lastValidatedStep !== state.step) await validate(session);
    const manifest = await saveTrainedModel(session, { dataset: options.dataset, baselines, weightsDtype: options.weightsDtype ?? 'float32' });
    const best = state.best!;
    log(`stopped by ${stoppedBy} at step ${state.step}; best validation ${best.nll.toFixed(4)} nats/event at step ${best.step}`);
    return { stoppedBy, steps: state.step, elapsedSeconds: elapsedSeconds(session), manifest };
  } finally {
    if (owned) await engine.dispose();
  }
}

/** Steps, validating every `validationEvery` steps and checkpointing when one is due, until something stops the run. */
async function trainUntilStopped(session: TrainSession, signal: AbortSignal | undefined): Promise<StopReason> {
  const hp = session.setup.data.hyperparameters;
  for (;;) {
    const stoppedBy = stopReason(session, signal);
    if (stoppedBy) return stoppedBy;
    await trainStep(session);
    if (session.state.step % hp.validationEvery === 0) await validate(session);
    if (checkpointDue(session)) {
      await writeCheckpoint(session);
      recordEvent(session.state, 'checkpoint');
    }
  }
}

function stopReason(session: TrainSession, signal: AbortSignal | undefined): StopReason | undefined {
  const { setup, state } = session;
  if (signal?.aborted) return 'signal';
  if (setup.maxSteps !== undefined && state.step >= setup.maxSteps) return 'max-steps';
  if (elapsedSeconds(session) >= setup.budgetSeconds) return 'budget';
  if (patienceRunOut(session)) return 'early-stop';
  return undefined;
}

/** The shape the run trains: with controls, the input width comes from the data. */
function runShape(asked: ModelShape, data: TrainingData): ModelShape {
  const shape: ModelShape = data.controls ? { ...asked, controlSize: controlLayout(data.controls).width } : asked;
  if (data.tokenizer.vocabSize !== shape.vocabSize) {
    throw new RangeError(`shape.vocabSize ${shape.vocabSize} differs from tokenizer ${data.tokenizer.name}'s ${data.tokenizer.vocabSize}`);
  }
  return shape;
}

/** The engine the run trains with, and whether the run built it (and so disposes of it). */
async function openEngine(
  options: TrainRunOptions,
  shape: ModelShape,
  batchSize: number,
  log: (line: string) => void,
): Promise<{ engine: GradientEngine; owned: boolean }> {
  const choice = options.engine;
  if (typeof choice === 'string') {
    return { engine: await selectEngine(shape, { engine: choice, workers: options.threads, batchSize, log }), owned: true };
  }
  if (typeof choice === 'function') return { engine: await choice(shape), owned: true };
  log(`engine: ${choice.name}`);
  return { engine: choice, owned: false };
}

function logSetup(log: (line: string) => void, shape: ModelShape, data: TrainingData): void {
  log(`shape: ${JSON.stringify(shape)}`);
  log(`hyperparameters: ${JSON.stringify(data.hyperparameters)}`);
  log(`data: ${data.trainEvents} training events in ${data.train.length} files, ${data.validationEvents} validation events in ${data.validation.length} files`);
  for (const note of data.notes) log(`data: ${note}`);
  if (data.controls) {
    const { styles, dynamicsEdges } = data.controls;
    const keys = data.controls.keyboard ? ` (${KEYBOARD_KEYS} of them the keys that sound)` : '';
    log(`controls: ${shape.controlSize} inputs${keys}; styles ${styles.join(', ') || '(none: no file names its composer)'}; dynamics edges ${dynamicsEdges.join('/')}`);
  }
}
