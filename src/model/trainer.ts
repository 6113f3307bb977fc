import type { Store } from '../store/store.js';
import { adamStep, createAdamState, type AdamState } from './adam.js';
import { deleteCheckpoints, loadCheckpoint, saveCheckpoint, type CheckpointState, type CheckpointTensors } from './checkpoint.js';
import { clipByGlobalNorm } from './clip.js';
import { parameterCount, type ModelShape } from './config.js';
import type { Batch, GradientEngine, RecurrentState } from './engine/engine.js';
import { selectEngine, type EngineChoice } from './engine/select-engine.js';
import { evaluateSequences } from './evaluate.js';
import { evaluateNgram, fitNgramBaselines } from './baselines.js';
import type { TrainHyperparameters } from './hyperparameters.js';
import { countUnigrams, decayMask, initializeParameters } from './initialize.js';
import { controlLayout, type ControlSpec } from './controls/control-spec.js';
import { defaultDensityCalibration, measureDensityResponse } from './controls/density-response.js';
import { manifestSchemaVersion, type ModelManifest, type TrainingEvent } from './manifest.js';
import { saveModel } from './model-files.js';
import { saveTrainingFiles, trainingFilesRecord } from './training-files.js';
import { ProgressLog } from './progress-log.js';
import { learningRateAt } from './schedule.js';
import type { Dataset } from '../dataset/dataset-store.js';
import { prepareTrainingData, type StoredSplit } from './training-data.js';

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

export type TrainProgressEvent =
  | {
      kind: 'step';
      step: number;
      plannedSteps: number;
      elapsedSeconds: number;
      budgetSeconds: number;
      trainLoss: number;
      learningRate: number;
      eventsPerSecond: number;
    }
  | { kind: 'validation'; step: number; validationNll: number; validationAccuracy: number; best: boolean };

export type StopReason = 'budget' | 'max-steps' | 'early-stop' | 'signal';

export interface TrainSummary {
  stoppedBy: StopReason;
  steps: number;
  elapsedSeconds: number;
  /** The published model's manifest; absent when stopped by a signal (a checkpoint was written instead). */
  manifest?: ModelManifest;
}

/** Steps per line of progress.jsonl. */
const progressEverySteps = 10;

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
  const { store, prefix, signal } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const budgetSeconds = options.minutes * 60;
  const checkpointPrefix = `${prefix}checkpoint/`;
  const data = prepareTrainingData(options.dataset, options.hyperparameters, options.split, options.controls);
  // Tiny datasets train with fewer streams or shorter windows than asked; the manifest records what was used.
  const hp = data.hyperparameters;
  const shape: ModelShape = data.controls ? { ...options.shape, controlSize: controlLayout(data.controls).width } : options.shape;
  if (data.tokenizer.vocabSize !== shape.vocabSize) {
    throw new RangeError(`shape.vocabSize ${shape.vocabSize} differs from tokenizer ${data.tokenizer.name}'s ${data.tokenizer.vocabSize}`);
  }
  const choice = options.engine;
  const ownsEngine = typeof choice === 'string' || typeof choice === 'function';
  const engine =
    typeof choice === 'string'
      ? await selectEngine(shape, { engine: choice, workers: options.threads, batchSize: hp.batchSize, log })
      : typeof choice === 'function'
        ? await choice(shape)
        : choice;
  if (!ownsEngine) log(`engine: ${engine.name}`);
  if (parameterCount(engine.shape) !== parameterCount(shape)) {
    throw new RangeError(`the engine was built for ${JSON.stringify(engine.shape)} but this run trains ${JSON.stringify(shape)} (controls change the input width)`);
  }
  log(`shape: ${JSON.stringify(shape)}`);
  log(`hyperparameters: ${JSON.stringify(hp)}`);
  log(`data: ${data.trainEvents} training events in ${data.train.length} files, ${data.validationEvents} validation events in ${data.validation.length} files`);
  for (const note of data.notes) log(`data: ${note}`);
  if (data.controls) {
    const { styles, dynamicsEdges } = data.controls;
    log(`controls: ${shape.controlSize} inputs; styles ${styles.join(', ') || '(none: no file names its composer)'}; dynamics edges ${dynamicsEdges.join('/')}`);
  }

  const size = parameterCount(shape);
  const ngrams = fitNgramBaselines(data.train, shape.vocabSize);
  const baselines = {
    unigram: evaluateNgram(ngrams.unigram, data.validation).nllNatsPerEvent,
    bigram: evaluateNgram(ngrams.bigram, data.validation).nllNatsPerEvent,
    trigram: evaluateNgram(ngrams.trigram, data.validation).nllNatsPerEvent,
  };
  log(`validation baselines (nats/event): ${JSON.stringify(baselines)}`);

  const checkpoint = options.resume ? await loadCheckpoint(store, checkpointPrefix, { shape, batchSize: hp.batchSize }) : undefined;
  let parameters: Float32Array;
  let bestParameters: Float32Array;
  let adam: AdamState;
  let state: CheckpointState;
  let carried: RecurrentState | undefined;
  const progress = new ProgressLog(store, `${prefix}progress.jsonl`);
  if (checkpoint) {
    const { tensors } = checkpoint;
    state = checkpoint.state;
    parameters = tensors.parameters;
    bestParameters = tensors.bestParameters ?? Float32Array.from(parameters);
    adam = { m: tensors.adamM, v: tensors.adamV, t: state.adamT };
    carried = tensors.carried;
    await progress.restore(state.step);
    record(state.trainingEvents, state.step, 'resume', `from checkpoint at step ${state.step}`);
    log(`resumed at step ${state.step} (${state.elapsedSeconds.toFixed(0)} s already trained)`);
  } else {
    const unigramCounts = hp.outputBiasFromUnigram ? countUnigrams(data.train, shape.vocabSize) : undefined;
    parameters = initializeParameters(shape, { seed: hp.seed, ...(unigramCounts ? { unigramCounts } : {}) });
    bestParameters = Float32Array.from(parameters);
    adam = createAdamState(size);
    state = {
      step: 0,
      adamT: 0,
      dataCursor: undefined,
      elapsedSeconds: 0,
      events: 0,
      best: undefined,
      validationsSinceBest: 0,
      trainingEvents: [],
      lastTrainLoss: NaN,
    };
    record(state.trainingEvents, 0, 'start');
  }

  const batches = data.createBatches(state.dataCursor);
  const gradients = new Float32Array(size);
  const mask = decayMask(shape);
  const sessionStart = performance.now();
  const startStep = state.step;
  const startElapsed = state.elapsedSeconds;
  const elapsed = () => startElapsed + (performance.now() - sessionStart) / 1000;
  let lastValidatedStep = -1;
  let lastCheckpointAt = performance.now();
  let window = { loss: 0, steps: 0, norm: 0, startedAt: performance.now() };
  let stoppedBy: StopReason | undefined;

  const plannedSteps = (): number => {
    if (options.maxSteps !== undefined) return options.maxSteps;
    const done = state.step - startStep;
    if (done < 1) return Math.max(state.step + 1, hp.warmupSteps * 10);
    const secondsPerStep = (elapsed() - startElapsed) / done;
    return Math.max(state.step + 1, Math.round(state.step + (budgetSeconds - elapsed()) / secondsPerStep));
  };

  const validate = async (): Promise<void> => {
    const scores = await evaluateSequences(engine, parameters, data.validation, { steps: hp.steps, batchSize: hp.batchSize });
    lastValidatedStep = state.step;
    const best = state.best === undefined || scores.nllNatsPerEvent < state.best.nll;
    if (best) {
      state.best = { nll: scores.nllNatsPerEvent, accuracy: scores.accuracy, step: state.step };
      bestParameters.set(parameters);
      state.validationsSinceBest = 0;
    } else {
      state.validationsSinceBest += 1;
    }
    const line = { step: state.step, validationNll: scores.nllNatsPerEvent, validationAccuracy: scores.accuracy, best };
    progress.add({ kind: 'validation', elapsedSeconds: elapsed(), ...line });
    await progress.flush();
    options.onProgress?.({ kind: 'validation', ...line });
    log(`validation at step ${state.step}: ${scores.nllNatsPerEvent.toFixed(4)} nats/event, accuracy ${(scores.accuracy * 100).toFixed(1)} %${best ? ' (best)' : ''}`);
  };

  const writeCheckpoint = async (): Promise<void> => {
    const snapshot: CheckpointState = {
      ...state,
      elapsedSeconds: elapsed(),
      adamT: adam.t,
      dataCursor: batches.cursor(),
    };
    const tensors: CheckpointTensors = { parameters, bestParameters, adamM: adam.m, adamV: adam.v, ...(carried ? { carried } : {}) };
    await saveCheckpoint(store, checkpointPrefix, { state: snapshot, tensors });
    lastCheckpointAt = performance.now();
  };

  try {
    while (stoppedBy === undefined) {
      if (signal?.aborted) stoppedBy = 'signal';
      else if (options.maxSteps !== undefined && state.step >= options.maxSteps) stoppedBy = 'max-steps';
      else if (elapsed() >= budgetSeconds) stoppedBy = 'budget';
      else if (state.best && state.validationsSinceBest >= hp.earlyStoppingPatience) stoppedBy = 'early-stop';
      if (stoppedBy) break;

      const windows = batches.next();
      // Streams continue their rows from one batch to the next, except at the start of each epoch.
      const batch: Batch = hp.carryState && carried && batches.continuesPrevious ? { ...windows, initialState: carried } : windows;
      const result = await engine.lossAndGradients(parameters, batch, gradients);
      if (!Number.isFinite(result.loss)) throw new Error(`training diverged at step ${state.step}: loss ${result.loss}`);
      if (hp.carryState) carried = copyState(result.finalState, carried);
      const norm = clipByGlobalNorm(gradients, hp.clipNorm);
      const learningRate = learningRateAt(
        { peak: hp.learningRate, floor: hp.minLearningRate, warmupSteps: hp.warmupSteps, totalSteps: plannedSteps() },
        state.step,
      );
      adamStep(parameters, gradients, adam, learningRate, hp.weightDecay, mask);
      state.step += 1;
      state.events += result.count;
      window.loss += result.loss;
      window.norm += norm;
      window.steps += 1;

      if (state.step % progressEverySteps === 0) {
        state.lastTrainLoss = window.loss / window.steps;
        const eventsPerSecond = (window.steps * result.count) / ((performance.now() - window.startedAt) / 1000);
        progress.add({
          kind: 'train',
          step: state.step,
          elapsedSeconds: elapsed(),
          trainLoss: state.lastTrainLoss,
          learningRate,
          eventsPerSecond,
          gradientNorm: window.norm / window.steps,
        });
        options.onProgress?.({
          kind: 'step',
          step: state.step,
          plannedSteps: plannedSteps(),
          elapsedSeconds: elapsed(),
          budgetSeconds,
          trainLoss: state.lastTrainLoss,
          learningRate,
          eventsPerSecond,
        });
        window = { loss: 0, steps: 0, norm: 0, startedAt: performance.now() };
      }
      if (state.step % hp.validationEvery === 0) await validate();
      if (performance.now() - lastCheckpointAt >= hp.checkpointEveryMinutes * 60_000) {
        await progress.flush();
        await writeCheckpoint();
        record(state.trainingEvents, state.step, 'checkpoint');
      }
    }

    record(state.trainingEvents, state.step, stoppedBy);
    if (stoppedBy === 'signal') {
      await progress.flush();
      await writeCheckpoint();
      log(`stopped by signal at step ${state.step}; checkpoint written, continue with --resume`);
      return { stoppedBy, steps: state.step, elapsedSeconds: elapsed() };
    }
    if (lastValidatedStep !== state.step) await validate();
    const best = state.best!;
    const manifest: ModelManifest = {
      schemaVersion: manifestSchemaVersion,
      tokenizer: {
        name: data.tokenizer.name,
        vocabSize: data.tokenizer.vocabSize,
        ...(options.dataset.vocabulary !== undefined ? { vocabulary: options.dataset.vocabulary } : {}),
      },
      shape,
      ...(data.controls ? { controls: data.controls } : {}),
      outputs: 'logits',
      weightsDtype: options.weightsDtype ?? 'float32',
      hyperparameters: hp,
      dataDigest: options.dataset.digest,
      metrics: {
        validationNll: best.nll,
        validationAccuracy: best.accuracy,
        perplexity: Math.exp(best.nll),
        trainLoss: state.lastTrainLoss,
        baselines,
        validationHeldOut: data.validationHeldOut,
      },
      engine: engine.name,
      trainingSeconds: elapsed(),
      steps: state.step,
      events: state.events,
      trainingEvents: state.trainingEvents,
      createdAt: new Date().toISOString(),
    };
    if (manifest.controls) {
      // Sampled freely, a model drifts from the density it is asked for: measure what each bin writes, so requests can
      // be fed the bin that gives the density asked.
      const densityResponse = measureDensityResponse({ manifest, shape, parameters: bestParameters }, data.tokenizer, defaultDensityCalibration);
      manifest.controls = { ...manifest.controls, densityResponse };
      log(`density calibration (notes/s per bin): ${densityResponse.join(' ')}`);
    }
    await progress.flush();
    await saveTrainingFiles(store, prefix, trainingFilesRecord(options.dataset, data.train));
    await saveModel(store, prefix, { manifest, parameters: bestParameters });
    await deleteCheckpoints(store, checkpointPrefix);
    log(`stopped by ${stoppedBy} at step ${state.step}; best validation ${best.nll.toFixed(4)} nats/event at step ${best.step}`);
    return { stoppedBy, steps: state.step, elapsedSeconds: elapsed(), manifest };
  } finally {
    if (ownsEngine) await engine.dispose();
  }
}

function record(events: TrainingEvent[], step: number, kind: TrainingEvent['kind'], detail?: string): void {
  events.push({ step, at: new Date().toISOString(), kind, ...(detail ? { detail } : {}) });
}

/** Copies the engine's final state into buffers kept across steps, so a long run does not allocate per step. */
function copyState(from: RecurrentState, into: RecurrentState | undefined): RecurrentState {
  if (!into || into.h[0]!.length !== from.h[0]!.length) {
    return { h: from.h.map((h) => Float32Array.from(h)), c: from.c.map((c) => Float32Array.from(c)) };
  }
  from.h.forEach((h, layer) => into.h[layer]!.set(h));
  from.c.forEach((c, layer) => into.c[layer]!.set(c));
  return into;
}
