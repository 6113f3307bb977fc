import type { Store } from '../store/store.js';
import { getJson, putJson } from '../store/json.js';

/** Everything a run needs to continue exactly where it stopped. */
export interface CheckpointState {
  step: number;
  adamT: number;
  /** The batch source's resumable position (opaque JSON owned by the dataset layer). */
  dataCursor: unknown;
  elapsedSeconds: number;
  events: number;
  best: { nll: number; accuracy: number; step: number } | undefined;
  validationsSinceBest: number;
  /** Free-form JSON the trainer keeps with the run (training events, last train loss). */
  extra: Record<string, unknown>;
}

/** Named float vectors saved with the state: parameters, Adam moments, best parameters, carried LSTM state. */
export type CheckpointTensors = Record<string, Float32Array>;

export interface Checkpoint {
  state: CheckpointState;
  tensors: CheckpointTensors;
}

interface CheckpointPointer {
  schemaVersion: 1;
  step: number;
  folder: string;
  tensors: Array<{ name: string; length: number }>;
  writtenAt: string;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

const pointerName = 'latest.json';

/**
 * Writes a checkpoint under `<prefix>` atomically: the parts go to a fresh folder, then `latest.json` names it in one
 * write, then older folders are removed. A crash at any point leaves the previous checkpoint readable.
 *
 * @example
 * await saveCheckpoint(store, 'models/run-1/checkpoint/', { state, tensors: { parameters } });
 */
export async function saveCheckpoint(store: Store, prefix: string, checkpoint: Checkpoint): Promise<void> {
  const folder = `step-${String(checkpoint.state.step).padStart(9, '0')}-${Date.now()}/`;
  const entries = Object.entries(checkpoint.tensors);
  const total = entries.reduce((sum, [, values]) => sum + values.length, 0);
  const packed = new Float32Array(total);
  let offset = 0;
  for (const [, values] of entries) {
    packed.set(values, offset);
    offset += values.length;
  }
  await store.put(prefix + folder + 'tensors.bin', new Uint8Array(packed.buffer));
  await putJson(store, prefix + folder + 'state.json', checkpoint.state);
  const pointer: CheckpointPointer = {
    schemaVersion: 1,
    step: checkpoint.state.step,
    folder,
    tensors: entries.map(([name, values]) => ({ name, length: values.length })),
    writtenAt: new Date().toISOString(),
  };
  await putJson(store, prefix + pointerName, pointer);
  for (const object of await store.list(prefix)) {
    if (object.key !== prefix + pointerName && !object.key.startsWith(prefix + folder)) await store.delete(object.key);
  }
}

/** The newest complete checkpoint under `<prefix>`, or undefined when there is none. */
export async function loadCheckpoint(store: Store, prefix: string): Promise<Checkpoint | undefined> {
  const pointer = await getJson<CheckpointPointer>(store, prefix + pointerName);
  if (!pointer) return undefined;
  const state = await getJson<CheckpointState>(store, prefix + pointer.folder + 'state.json');
  const bytes = await store.get(prefix + pointer.folder + 'tensors.bin');
  if (!state || !bytes) throw new CheckpointError(`checkpoint ${prefix}${pointer.folder} is incomplete`);
  const packed = new Float32Array(bytes.slice().buffer);
  const expected = pointer.tensors.reduce((sum, tensor) => sum + tensor.length, 0);
  if (packed.length !== expected) {
    throw new CheckpointError(`checkpoint ${prefix}${pointer.folder}: tensors.bin holds ${packed.length} values, expected ${expected}`);
  }
  const tensors: CheckpointTensors = {};
  let offset = 0;
  for (const { name, length } of pointer.tensors) {
    tensors[name] = packed.slice(offset, offset + length);
    offset += length;
  }
  return { state, tensors };
}

/** Removes every checkpoint file under `<prefix>` (after a run has published its model). */
export async function deleteCheckpoints(store: Store, prefix: string): Promise<void> {
  for (const object of await store.list(prefix)) await store.delete(object.key);
}
