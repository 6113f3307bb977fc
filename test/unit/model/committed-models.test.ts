import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { committedModels, defaultModelDir } from '../../../src/model/committed-models.js';
import { controlLayout } from '../../../src/model/controls/control-spec.js';
import { KeyboardState, writeKeyboardInputs } from '../../../src/model/controls/keyboard-input.js';
import { LstmCell } from '../../../src/model/lstm-cell.js';
import { loadModel } from '../../../src/model/model-files.js';
import { modelCellOptions } from '../../../src/model/sampler.js';
import { FsStore } from '../../../src/store/fs-store.js';

tf.enableProdMode();
const modelsDir = dirname(defaultModelDir);
const folders = readdirSync(modelsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
const tokens = [355, 60, 64, 67, 300, 188, 192, 195, 310, 62];

describe('the committed models', () => {
  it('include the default model', () => {
    expect(folders).toContain('default');
  });

  it.each(folders)('models/%s loads in tf.loadLayersModel and predicts like the sampler\'s cell', async (folder) => {
    const store = new FsStore(join(modelsDir, folder));
    const modelJson = JSON.parse(new TextDecoder().decode(await store.get('model.json')));
    const shard = await store.get('group1-shard1of1.bin');
    const layersModel = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: shard!.slice().buffer }),
    );
    const loaded = await loadModel(store, '');
    const controlSize = loaded.shape.controlSize ?? 0;
    // No control asked for; a model with a keyboard input is shown the keys as the sampler shows them.
    const controls = new Float32Array(tokens.length * controlSize);
    const spec = loaded.manifest.controls;
    if (spec?.keyboard) writeKeyboardInputs(new KeyboardState(spec.keyboard), tokens, 0, tokens.length, controls, controlLayout(spec).keyboard, controlSize);
    const predicted = tf.tidy(() => {
      const ids = tf.tensor2d([tokens], [1, tokens.length], 'int32');
      const inputs = controlSize > 0 ? [ids, tf.tensor3d(controls, [1, tokens.length, controlSize])] : ids;
      return (layersModel.predict(inputs) as tf.Tensor).arraySync();
    }) as number[][][];
    layersModel.dispose();

    const cell = new LstmCell(loaded.shape, loaded.parameters, modelCellOptions(loaded));
    tokens.forEach((token, t) => {
      cell.step(token);
      for (const id of [0, 60, 188, 300, 387]) expect(cell.logits[id]).toBeCloseTo(predicted[0]![t]![id]!, 3);
    });
  });
});

describe('committedModels', () => {
  it('finds every folder with a manifest, and only the files directly in it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'rubato-models-'));
    for (const path of ['default/manifest.json', 'default/model.json', 'default/extra/deeper.bin', 'large/manifest.json', 'notes/readme.json', 'top.json']) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), '{}');
    }

    const models = committedModels(folder);

    expect(models.map(({ runId }) => runId).sort()).toEqual(['default', 'large']);
    const defaultFiles = models.find(({ runId }) => runId === 'default')!.files;
    expect(defaultFiles.map(({ name }) => name).sort()).toEqual(['manifest.json', 'model.json']);
    expect(defaultFiles.find(({ name }) => name === 'model.json')?.key).toBe('default/model.json');
  });

  it('finds none in a folder that does not exist', () => {
    expect(committedModels(join(tmpdir(), 'rubato-no-such-models-folder'))).toEqual([]);
  });
});
