import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelShape } from '../../../src/model/config.js';
import { defaultHyperparameters } from '../../../src/model/hyperparameters.js';
import { initializeParameters } from '../../../src/model/initialize.js';
import type { ModelManifest } from '../../../src/model/manifest.js';
import type { LoadedModel } from '../../../src/model/model-files.js';
import { FsStore } from '../../../src/store/fs-store.js';

export const tinyShape: ModelShape = { vocabSize: 388, embeddingSize: 8, units: 12, layers: 2 };

/** A store in a fresh temporary folder. */
export function temporaryStore(): FsStore {
  return new FsStore(mkdtempSync(join(tmpdir(), 'rubato-model-')));
}

export function manifestFor(shape: ModelShape, overrides: Partial<ModelManifest> = {}): ModelManifest {
  return {
    schemaVersion: 1,
    tokenizer: { name: 'performance', vocabSize: shape.vocabSize },
    shape,
    outputs: 'logits',
    weightsDtype: 'float32',
    hyperparameters: defaultHyperparameters,
    dataDigest: 'test',
    metrics: {
      validationNll: 3,
      validationAccuracy: 0.2,
      perplexity: Math.exp(3),
      trainLoss: 3,
      baselines: { unigram: 5, bigram: 4, trigram: 3.7 },
    },
    engine: 'tfjs',
    trainingSeconds: 1,
    steps: 1,
    events: 1,
    trainingEvents: [],
    createdAt: new Date(0).toISOString(),
    ...overrides,
  };
}

/** A randomly initialised model with biases nudged off zero, so every weight matters to the outputs. */
export function randomModel(shape: ModelShape = tinyShape, seed = 1): LoadedModel {
  const parameters = initializeParameters(shape, { seed });
  parameters.forEach((value, i) => (parameters[i] = value + 0.05 * Math.sin(i)));
  return { manifest: manifestFor(shape), shape, parameters };
}
