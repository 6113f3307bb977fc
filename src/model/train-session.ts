import type { BatchSource } from '../dataset/windows.js';
import type { Store } from '../store/store.js';
import { createAdamState, type AdamState } from './adam.js';
import { loadCheckpoint, saveCheckpoint, stepZeroState, type Checkpoint, type CheckpointState } from './checkpoint.js';
import { parameterCount, type ModelShape } from './config.js';
import type { GradientEngine, RecurrentState } from './engine/engine.js';
import { countUnigrams, decayMask, initializeParameters } from './initialize.js';
import type { TrainingEvent } from './manifest.js';
import { ProgressLog, type TrainProgressEvent } from './progress-log.js';
import type { TrainingData } from './training-data.js';

/** What a run trains with, fixed from its start to its end. */
export interface TrainSetup {
  store: Store;
  /** Output prefix: model files, `progress.jsonl` and `checkpoint/` go under it. */
  prefix: string;
  /** The run's files and hyperparameters (batch size and window may be smaller than asked). */
  data: TrainingData;
  /** With controls, the input width comes from the data. */
  shape: ModelShape;
  engine: GradientEngine;
  /** Wall-clock budget, validation included. */
  budgetSeconds: number;
  maxSteps: number | undefined;
  log(line: string): void;
  onProgress: ((event: TrainProgressEvent) => void) | undefined;
}

/** Training steps since the last line of `progress.jsonl`. */
export interface ProgressWindow {
  loss: number;
  norm: number;
  steps: number;
  startedAt: number;
}

/** A run in progress: where it stands, and the buffers its steps update in place. */
export interface TrainSession {
  readonly setup: TrainSetup;
  /**
   * Step, counters, best validation, training events. `dataCursor`, `elapsedSeconds` and `adamT` are as of the start:
   * a checkpoint takes them from the batches, the clock and Adam.
   */
  readonly state: CheckpointState;
  readonly parameters: Float32Array;
  /** The parameters of the best validation so far: what the run publishes. */
  readonly bestParameters: Float32Array;
  readonly adam: AdamState;
  /** The moving average of the weights, when the run averages (`averageDecay` > 0). */
  readonly averageParameters: Float32Array | undefined;
  /** The LSTM state the streams carry into their next batch (`carryState` runs). */
  carried: RecurrentState | undefined;
  readonly batches: BatchSource;
  readonly gradients: Float32Array;
  readonly decayMask: Uint8Array;
  readonly progress: ProgressLog;
  /** `performance.now()`, step and trained seconds when this session started (a resumed run counts on from them). */
  readonly started: { at: number; step: number; elapsedSeconds: number };
  lastValidatedStep: number;
  lastCheckpointAt: number;
  window: ProgressWindow;
}

/**
 * Starts the run, or with `resume` continues it from the checkpoint under the prefix when one is there (a
 * checkpoint written for another shape or batch size is refused with a {@link CheckpointError}).
 *
 * @example
 * const session = await startSession(setup, options.resume);
 */
export async function startSession(setup: TrainSetup, resume: boolean): Promise<TrainSession> {
  const { store, prefix, shape, data, log } = setup;
  const batchSize = data.hyperparameters.batchSize;
  const checkpoint = resume ? await loadCheckpoint(store, runCheckpointPrefix(prefix), { shape, batchSize }) : undefined;
  const progress = new ProgressLog(store, `${prefix}progress.jsonl`);
  const { state, tensors } = checkpoint ?? freshCheckpoint(setup);
  if (checkpoint) {
    await progress.restore(state.step);
    recordEvent(state, 'resume', `from checkpoint at step ${state.step}`);
    log(`resumed at step ${state.step} (${state.elapsedSeconds.toFixed(0)} s already trained)`);
  } else {
    recordEvent(state, 'start');
  }
  const now = performance.now();
  return {
    setup,
    state,
    parameters: tensors.parameters,
    bestParameters: tensors.bestParameters ?? Float32Array.from(tensors.parameters),
    adam: { m: tensors.adamM, v: tensors.adamV, t: state.adamT },
    averageParameters: (data.hyperparameters.averageDecay ?? 0) > 0 ? (tensors.averageParameters ?? Float32Array.from(tensors.parameters)) : undefined,
    carried: tensors.carried,
    batches: data.createBatches(state.dataCursor),
    gradients: new Float32Array(parameterCount(shape)),
    decayMask: decayMask(shape),
    progress,
    started: { at: now, step: state.step, elapsedSeconds: state.elapsedSeconds },
    lastValidatedStep: -1,
    lastCheckpointAt: now,
    window: { loss: 0, steps: 0, norm: 0, startedAt: now },
  };
}

/** Seconds the run has trained, earlier sessions included. */
export function elapsedSeconds(session: TrainSession): number {
  return session.started.elapsedSeconds + (performance.now() - session.started.at) / 1000;
}

export function checkpointDue(session: TrainSession): boolean {
  return performance.now() - session.lastCheckpointAt >= session.setup.data.hyperparameters.checkpointEveryMinutes * 60_000;
}

/**
 * Flushes `progress.jsonl`, then checkpoints everything the run needs to continue bit for bit: a resumed run keeps the
 * progress lines up to its checkpoint's step.
 */
export async function writeCheckpoint(session: TrainSession): Promise<void> {
  const { setup, state, adam, carried, averageParameters } = session;
  await session.progress.flush();
  const snapshot: CheckpointState = { ...state, elapsedSeconds: elapsedSeconds(session), adamT: adam.t, dataCursor: session.batches.cursor() };
  await saveCheckpoint(setup.store, runCheckpointPrefix(setup.prefix), {
    state: snapshot,
    tensors: {
      parameters: session.parameters,
      bestParameters: session.bestParameters,
      adamM: adam.m,
      adamV: adam.v,
      ...(averageParameters ? { averageParameters } : {}),
      ...(carried ? { carried } : {}),
    },
  });
  session.lastCheckpointAt = performance.now();
}

/** Where a run under `prefix` keeps its checkpoints. */
export function runCheckpointPrefix(prefix: string): string {
  return `${prefix}checkpoint/`;
}

export function recordEvent(state: CheckpointState, kind: TrainingEvent['kind'], detail?: string): void {
  state.trainingEvents.push({ step: state.step, at: new Date().toISOString(), kind, ...(detail ? { detail } : {}) });
}

/** Step 0 of a new run: initial parameters (output bias from the unigram counts when asked), zero Adam moments. */
function freshCheckpoint({ data, shape }: TrainSetup): Checkpoint {
  const { outputBiasFromUnigram, seed } = data.hyperparameters;
  const unigramCounts = outputBiasFromUnigram ? countUnigrams(data.train, shape.vocabSize) : undefined;
  const parameters = initializeParameters(shape, { seed, ...(unigramCounts ? { unigramCounts } : {}) });
  const adam = createAdamState(parameters.length);
  return {
    state: stepZeroState(),
    tensors: { parameters, bestParameters: Float32Array.from(parameters), adamM: adam.m, adamV: adam.v },
  };
}
