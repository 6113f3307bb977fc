import type { WindowCursor } from '../dataset/windows.js';
import type { Store } from '../store/store.js';
import { putJson } from '../store/json.js';
import { CheckpointError, checkFit, decodePointer, decodeState, encodePointer, encodeState, packTensors, unpackTensors } from './checkpoint-codec.js';
import type { ModelShape } from './config.js';
import type { RecurrentState } from './engine/engine.js';
import type { TrainingEvent } from './manifest.js';

export { CheckpointError } from './checkpoint-codec.js';

/** The best validation of a run so far. */
export interface BestValidation {
  nll: number;
  accuracy: number;
  step: number;
}

/** Everything besides its tensors that a run needs to continue exactly where it stopped. */
export interface CheckpointState {
  step: number;
  adamT: number;
  /** Where the batch source stands; absent before the first batch (a checkpoint staged from a published model). */
  dataCursor: WindowCursor | undefined;
  elapsedSeconds: number;
  events: number;
  best: BestValidation | undefined;
  validationsSinceBest: number;
  trainingEvents: TrainingEvent[];
  /** Mean train loss of the last progress line; NaN before the first. */
  lastTrainLoss: number;
}

/** The float vectors saved with the state. */
export interface CheckpointTensors {
  parameters: Float32Array;
  /** Absent in a checkpoint staged from a published model: the best so far starts as `parameters`. */
  bestParameters?: Float32Array;
  adamM: Float32Array;
  adamV: Float32Array;
  /** The moving average of the weights (runs with `averageDecay` > 0). */
  averageParameters?: Float32Array;
  /** The LSTM state the streams carry into their next batch (`carryState` runs, after the first step). */
  carried?: RecurrentState;
}

/** A run at step 0, before its first batch: where a new run and a run staged from a published model start. */
export function stepZeroState(trainingEvents: TrainingEvent[] = []): CheckpointState {
  return {
    step: 0,
    adamT: 0,
    dataCursor: undefined,
    elapsedSeconds: 0,
    events: 0,
    best: undefined,
    validationsSinceBest: 0,
    trainingEvents,
    lastTrainLoss: NaN,
  };
}

export interface Checkpoint {
  state: CheckpointState;
  tensors: CheckpointTensors;
}

/** What the resuming run trains: a checkpoint with tensors sized for anything else is refused. */
export interface CheckpointFit {
  shape: ModelShape;
  batchSize: number;
}

const pointerName = 'latest.json';

/**
 * Writes a checkpoint under `<prefix>` atomically: the parts go to a fresh folder, then `latest.json` names it in one
 * write, then older folders are removed. A crash at any point leaves the previous checkpoint readable.
 *
 * @example
 * await saveCheckpoint(store, 'models/run-1/checkpoint/', { state, tensors: { parameters, adamM, adamV } });
 */
export async function saveCheckpoint(store: Store, prefix: string, checkpoint: Checkpoint): Promise<void> {
  const folder = `step-${String(checkpoint.state.step).padStart(9, '0')}-${Date.now()}/`;
  const { packed, index } = packTensors(checkpoint.tensors);
  await store.put(prefix + folder + 'tensors.bin', new Uint8Array(packed.buffer));
  await putJson(store, prefix + folder + 'state.json', encodeState(checkpoint.state));
  await putJson(store, prefix + pointerName, encodePointer(checkpoint.state.step, folder, index));
  for (const object of await store.list(prefix)) {
    if (object.key !== prefix + pointerName && !object.key.startsWith(prefix + folder)) await store.delete(object.key);
  }
}

/**
 * The newest complete checkpoint under `<prefix>`, or undefined when there is none. Throws {@link CheckpointError}
 * when it cannot be read (unknown version, missing or malformed parts) or does not fit the run (`fit`).
 *
 * @example
 * const checkpoint = await loadCheckpoint(store, 'models/run-1/checkpoint/', { shape, batchSize: 32 });
 */
export async function loadCheckpoint(store: Store, prefix: string, fit: CheckpointFit): Promise<Checkpoint | undefined> {
  const pointerBytes = await store.get(prefix + pointerName);
  if (!pointerBytes) return undefined;
  const pointer = decodePointer(pointerBytes, prefix + pointerName);
  const where = prefix + pointer.folder;
  const stateBytes = await store.get(where + 'state.json');
  const tensorBytes = await store.get(where + 'tensors.bin');
  if (!stateBytes || !tensorBytes) throw new CheckpointError(`checkpoint ${where} is incomplete`);
  const state = decodeState(stateBytes, pointer.schemaVersion, where + 'state.json');
  const tensors = unpackTensors(tensorBytes, pointer.tensors, where);
  checkFit(tensors, fit, where);
  return { state, tensors };
}

/** Removes every checkpoint file under `<prefix>` (after a run has published its model). */
export async function deleteCheckpoints(store: Store, prefix: string): Promise<void> {
  for (const object of await store.list(prefix)) await store.delete(object.key);
}
