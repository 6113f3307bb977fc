import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  deleteCheckpoints,
  loadCheckpoint,
  saveCheckpoint,
  type Checkpoint,
  type CheckpointState,
} from '../../../src/model/checkpoint.js';
import { parameterCount, type ModelShape } from '../../../src/model/config.js';
import type { Store } from '../../../src/store/store.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const shape: ModelShape = { vocabSize: 6, embeddingSize: 2, units: 3, layers: 2 };
const batchSize = 4;
const fit = { shape, batchSize };

const stateAt = (step: number): CheckpointState => ({
  step,
  adamT: step,
  dataCursor: { kind: 'streams', epoch: 0, window: step },
  elapsedSeconds: step * 2,
  events: step * 100,
  best: { nll: 3, accuracy: 0.2, step },
  validationsSinceBest: 0,
  trainingEvents: [{ step: 0, at: '2026-01-01T00:00:00.000Z', kind: 'start' }],
  lastTrainLoss: 2.5,
});

const ramp = (length: number, from: number) => Float32Array.from({ length }, (_, i) => from + i);

/** A checkpoint sized for `forShape` and `forBatchSize`, every value distinct. */
function checkpointAt(step: number, forShape = shape, forBatchSize = batchSize): Checkpoint {
  const size = parameterCount(forShape);
  const perLayer = forBatchSize * forShape.units;
  return {
    state: stateAt(step),
    tensors: {
      parameters: ramp(size, step),
      bestParameters: ramp(size, step + 0.5),
      adamM: ramp(size, -step),
      adamV: ramp(size, 2 * step),
      averageParameters: ramp(size, step + 0.25),
      carried: {
        h: Array.from({ length: forShape.layers }, (_, layer) => ramp(perLayer, 10 * layer)),
        c: Array.from({ length: forShape.layers }, (_, layer) => ramp(perLayer, -10 * layer)),
      },
    },
  };
}

const text = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

async function keyEndingWith(store: Store, suffix: string): Promise<string> {
  return (await store.list('c/')).find((object) => object.key.endsWith(suffix))!.key;
}

async function readJson(store: Store, key: string): Promise<Record<string, unknown>> {
  return JSON.parse(new TextDecoder().decode(await store.get(key)));
}

/** A checkpoint as the version-1 writer left it: pointer `schemaVersion: 1`, run fields under `extra`. */
async function writeVersion1(store: Store, state: Record<string, unknown>, tensors: Array<[string, Float32Array]>): Promise<void> {
  const folder = 'step-000000005-1767225600000/';
  const packed = new Float32Array(tensors.flatMap(([, values]) => [...values]));
  await store.put(`c/${folder}tensors.bin`, new Uint8Array(packed.buffer));
  await store.put(`c/${folder}state.json`, text(state));
  const index = tensors.map(([name, values]) => ({ name, length: values.length }));
  await store.put('c/latest.json', text({ schemaVersion: 1, step: 5, folder, tensors: index, writtenAt: '2026-01-01T00:00:00.000Z' }));
}

describe('checkpoints', () => {
  it('returns undefined when there is none', async () => {
    expect(await loadCheckpoint(temporaryStore(), 'c/', fit)).toBeUndefined();
  });

  it('round-trips state and tensors, keeping only the newest folder', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(1));
    await saveCheckpoint(store, 'c/', checkpointAt(2));

    const loaded = await loadCheckpoint(store, 'c/', fit);

    expect(loaded).toEqual(checkpointAt(2));
    const folders = new Set((await store.list('c/')).map((object) => object.key.split('/')[1]));
    expect(folders.size).toBe(2); // latest.json and one step folder
  });

  it('writes schema version 2 and keeps a loss not measured yet as NaN', async () => {
    const store = temporaryStore();
    const fresh = checkpointAt(0);
    const state: CheckpointState = { ...fresh.state, dataCursor: undefined, best: undefined, lastTrainLoss: NaN };
    const { bestParameters: _, carried: __, averageParameters: ___, ...tensors } = fresh.tensors;
    await saveCheckpoint(store, 'c/', { state, tensors });

    const loaded = await loadCheckpoint(store, 'c/', fit);

    expect(loaded).toEqual({ state, tensors });
    expect((await readJson(store, 'c/latest.json')).schemaVersion).toBe(2);
    const written = await readJson(store, await keyEndingWith(store, 'state.json'));
    expect(written).toMatchObject({ schemaVersion: 2, lastTrainLoss: null });
  });

  it('resumes a version-1 checkpoint, its training events and last loss read from `extra`', async () => {
    const store = temporaryStore();
    const { trainingEvents, lastTrainLoss, ...progress } = stateAt(5);
    const { averageParameters: _, ...tensors } = checkpointAt(5).tensors; // version 1 had no weight average
    await writeVersion1(store, { ...progress, extra: { trainingEvents, lastTrainLoss } }, [
      ['parameters', tensors.parameters],
      ['bestParameters', tensors.bestParameters!],
      ['adamM', tensors.adamM],
      ['adamV', tensors.adamV],
      ['carriedH0', tensors.carried!.h[0]!],
      ['carriedC0', tensors.carried!.c[0]!],
      ['carriedH1', tensors.carried!.h[1]!],
      ['carriedC1', tensors.carried!.c[1]!],
    ]);

    const loaded = await loadCheckpoint(store, 'c/', fit);

    expect(loaded).toEqual({ state: stateAt(5), tensors });
  });

  it('resumes a version-1 checkpoint staged from a published model (no cursor, no best, no loss yet)', async () => {
    const store = temporaryStore();
    const size = parameterCount(shape);
    const start = { step: 0, at: '2026-01-01T00:00:00.000Z', kind: 'start', detail: 'fine-tuned from run-a' } as const;
    const progress = { step: 0, adamT: 0, elapsedSeconds: 0, events: 0, validationsSinceBest: 0 };
    await writeVersion1(store, { ...progress, extra: { trainingEvents: [start] } }, [
      ['parameters', ramp(size, 1)],
      ['adamM', new Float32Array(size)],
      ['adamV', new Float32Array(size)],
    ]);

    const loaded = await loadCheckpoint(store, 'c/', fit);

    expect(loaded!.state).toEqual({ ...progress, dataCursor: undefined, best: undefined, trainingEvents: [start], lastTrainLoss: NaN });
    expect(loaded!.tensors).toEqual({ parameters: ramp(size, 1), adamM: new Float32Array(size), adamV: new Float32Array(size) });
  });

  it.each([
    { change: 'units', run: { shape: { ...shape, units: 4 }, batchSize }, message: /another model shape: its parameters holds \d+ values.*--units/ },
    { change: 'controls', run: { shape: { ...shape, controlSize: 5 }, batchSize }, message: /another model shape.*controls/ },
    { change: 'batch size', run: { shape, batchSize: 8 }, message: /carried LSTM state of layer 0 holds 12 values.*batch size 8 × 3 units needs 24.*--batch/ },
  ])('refuses a checkpoint written with other $change, saying so', async ({ run, message }) => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(3));

    const loading = loadCheckpoint(store, 'c/', run);

    await expect(loading).rejects.toThrow(CheckpointError);
    await expect(loading).rejects.toThrow(message);
  });

  it('refuses a checkpoint of an unknown schema version, naming it', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(1));
    await store.put('c/latest.json', text({ ...(await readJson(store, 'c/latest.json')), schemaVersion: 3 }));

    await expect(loadCheckpoint(store, 'c/', fit)).rejects.toThrow(/c\/latest.json has schemaVersion 3; this rubato reads checkpoint versions 1 and 2/);
  });

  it.each([
    { damage: 'state.json is not JSON', suffix: 'state.json', bytes: () => text('{"step": 1,'), message: /state.json is not JSON/ },
    {
      damage: 'state.json lacks a field',
      suffix: 'state.json',
      bytes: () => text({ ...stateAt(1), schemaVersion: 2, trainingEvents: undefined }),
      message: /state.json is not a valid checkpoint: trainingEvents/,
    },
    {
      damage: 'state.json has a cursor of no known kind',
      suffix: 'state.json',
      bytes: () => text({ ...stateAt(1), schemaVersion: 2, dataCursor: { epoch: 0, window: 1 } }),
      message: /state.json is not a valid checkpoint: dataCursor/,
    },
    { damage: 'tensors.bin is cut short', suffix: 'tensors.bin', bytes: () => new Uint8Array(10), message: /tensors.bin holds 10 bytes/ },
    { damage: 'latest.json is not JSON', suffix: 'latest.json', bytes: () => text(''), message: /latest.json is not JSON/ },
  ])('refuses a corrupt checkpoint: $damage', async ({ suffix, bytes, message }) => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(1));
    await store.put(await keyEndingWith(store, suffix), bytes());

    await expect(loadCheckpoint(store, 'c/', fit)).rejects.toThrow(message);
    await expect(loadCheckpoint(store, 'c/', fit)).rejects.toThrow(CheckpointError);
  });

  it('names a checkpoint whose parts are missing', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(1));
    await store.delete(await keyEndingWith(store, 'tensors.bin'));

    await expect(loadCheckpoint(store, 'c/', fit)).rejects.toThrow(/checkpoint c\/step-000000001-\d+\/ is incomplete/);
  });

  it('deletes every checkpoint file', async () => {
    const store = temporaryStore();
    await saveCheckpoint(store, 'c/', checkpointAt(1));
    await deleteCheckpoints(store, 'c/');
    expect(await store.list('c/')).toEqual([]);
  });
});
