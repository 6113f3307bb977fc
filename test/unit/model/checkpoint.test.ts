import { describe, expect, it } from 'vitest';
import { CheckpointError, deleteCheckpoints, loadCheckpoint, saveCheckpoint, type CheckpointState } from '../../../src/model/checkpoint.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const stateAt = (step: number): CheckpointState => ({
  step,
  adamT: step,
  dataCursor: { epoch: 0, window: step },
  elapsedSeconds: step * 2,
  events: step * 100,
  best: { nll: 3, accuracy: 0.2, step },
  validationsSinceBest: 0,
  extra: {},
});

describe('checkpoints', () => {
  it('returns undefined when there is none', async () => {
    expect(await loadCheckpoint(temporaryStore(), 'c/')).toBeUndefined();
  });

  it('round-trips state and tensors, keeping only the newest folder', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', { state: stateAt(1), tensors: { parameters: Float32Array.of(1, 2) } });
    await saveCheckpoint(store, 'c/', { state: stateAt(2), tensors: { parameters: Float32Array.of(3, 4, 5), adamM: Float32Array.of(6) } });
    const loaded = await loadCheckpoint(store, 'c/');
    expect(loaded!.state).toEqual(stateAt(2));
    expect(loaded!.tensors).toEqual({ parameters: Float32Array.of(3, 4, 5), adamM: Float32Array.of(6) });
    const folders = new Set((await store.list('c/')).map((object) => object.key.split('/')[1]));
    expect(folders.size).toBe(2); // latest.json and one step folder
  });

  it('names a checkpoint whose parts are missing', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', { state: stateAt(1), tensors: { parameters: Float32Array.of(1) } });
    const tensorsKey = (await store.list('c/')).find((object) => object.key.endsWith('tensors.bin'))!.key;
    await store.delete(tensorsKey);
    await expect(loadCheckpoint(store, 'c/')).rejects.toThrow(CheckpointError);
  });

  it('deletes every checkpoint file', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', { state: stateAt(1), tensors: { parameters: Float32Array.of(1) } });
    await deleteCheckpoints(store, 'c/');
    expect(await store.list('c/')).toEqual([]);
  });
});
