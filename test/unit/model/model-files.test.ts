import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { loadModel, ModelFilesError, saveModel } from '../../../src/model/model-files.js';
import { manifestFor, randomModel, temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

tf.enableProdMode();
const tokens = [60, 5, 300, 200, 60, 387, 0, 42];

async function loadWithTfjs(store: ReturnType<typeof temporaryStore>, prefix: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(new TextDecoder().decode(await store.get(`${prefix}model.json`)));
  const shard = await store.get(`${prefix}group1-shard1of1.bin`);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: shard!.slice().buffer,
    }),
  );
}

describe('saveModel / loadModel', () => {
  it.each(['float32', 'float16'] as const)('writes %s weights that tf.loadLayersModel predicts with like the JS cell', async (dtype) => {
    const store = temporaryStore();
    const model = randomModel();
    await saveModel(store, 'm/', { manifest: manifestFor(tinyShape, { weightsDtype: dtype }), parameters: model.parameters });

    const layersModel = await loadWithTfjs(store, 'm/');
    const predicted = tf.tidy(() => (layersModel.predict(tf.tensor2d([tokens], [1, tokens.length], 'int32')) as tf.Tensor).arraySync()) as number[][][];
    const loaded = await loadModel(store, 'm/');
    const cell = new LstmCell(loaded.shape, loaded.parameters);
    tokens.forEach((token, t) => {
      cell.step(token);
      const row = predicted[0]![t]!;
      for (const id of [0, 60, 200, 387]) expect(cell.logits[id]).toBeCloseTo(row[id]!, 4);
    });
    const tolerance = dtype === 'float32' ? 0 : 2e-3;
    loaded.parameters.forEach((value, i) => expect(Math.abs(value - model.parameters[i]!)).toBeLessThanOrEqual(tolerance + Math.abs(value) * tolerance));
    expect(loaded.manifest.weightsDtype).toBe(dtype);
  });

  it('writes a model with controls as two inputs that tf.loadLayersModel predicts with like the JS cell given the same controls', async () => {
    const store = temporaryStore();
    const shape = { ...tinyShape, controlSize: 6 };
    const model = randomModel(shape, 3);
    await saveModel(store, 'c/', { manifest: manifestFor(shape), parameters: model.parameters });
    const controls = [0, 1, 0, 0.25, 0.75, 0];

    const layersModel = await loadWithTfjs(store, 'c/');
    const predicted = tf.tidy(() => {
      const ids = tf.tensor2d([tokens], [1, tokens.length], 'int32');
      const perStep = tf.tensor3d([tokens.map(() => controls)], [1, tokens.length, controls.length]);
      return (layersModel.predict([ids, perStep]) as tf.Tensor).arraySync();
    }) as number[][][];
    const loaded = await loadModel(store, 'c/');
    const cell = new LstmCell(loaded.shape, loaded.parameters);
    cell.setControls(Float32Array.from(controls));
    const uncontrolled = new LstmCell(loaded.shape, loaded.parameters);
    tokens.forEach((token, t) => {
      cell.step(token);
      uncontrolled.step(token);
      for (const id of [0, 60, 200, 387]) expect(cell.logits[id]).toBeCloseTo(predicted[0]![t]![id]!, 4);
    });
    expect(layersModel.inputNames).toEqual(['tokens', 'controls']);
    expect(Math.max(...cell.logits.map((logit, id) => Math.abs(logit - uncontrolled.logits[id]!)))).toBeGreaterThan(1e-3);
  });

  it('halves the shard with float16', async () => {
    const store = temporaryStore();
    const { parameters } = randomModel();
    await saveModel(store, 'a/', { manifest: manifestFor(tinyShape), parameters });
    await saveModel(store, 'b/', { manifest: manifestFor(tinyShape, { weightsDtype: 'float16' }), parameters });
    expect((await store.head('b/group1-shard1of1.bin'))!.size * 2).toBe((await store.head('a/group1-shard1of1.bin'))!.size);
  });

  it('names the missing file', async () => {
    await expect(loadModel(temporaryStore(), 'none/')).rejects.toThrow(ModelFilesError);
    await expect(loadModel(temporaryStore(), 'none/')).rejects.toThrow(/manifest\.json is missing/);
  });

  it('refuses parameters that do not fit the shape', async () => {
    await expect(saveModel(temporaryStore(), 'x/', { manifest: manifestFor(tinyShape), parameters: new Float32Array(3) })).rejects.toThrow(ModelFilesError);
  });
});
