import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelDir } from '../src/cli/commands/generate.js';
import { defaultModelShape } from '../src/model/config.js';
import { defaultHyperparameters } from '../src/model/hyperparameters.js';
import { initializeParameters } from '../src/model/initialize.js';
import { loadModel, type LoadedModel } from '../src/model/model-files.js';
import { createSampler } from '../src/model/sampler.js';
import { FsStore } from '../src/store/fs-store.js';
import type { Benchmark } from './main.js';

const warmupEvents = 200;
const measuredEvents = 3000;

/** A randomly initialised default-shape model, for machines without models/default. */
export function randomDefaultModel(): LoadedModel {
  const shape = defaultModelShape;
  const parameters = initializeParameters(shape, { seed: 1 });
  return {
    shape,
    parameters,
    manifest: {
      schemaVersion: 1,
      tokenizer: { name: 'performance', vocabSize: shape.vocabSize },
      shape,
      outputs: 'logits',
      weightsDtype: 'float32',
      hyperparameters: defaultHyperparameters,
      dataDigest: 'none',
      metrics: { validationNll: NaN, validationAccuracy: NaN, perplexity: NaN, trainLoss: NaN, baselines: { unigram: NaN, bigram: NaN, trigram: NaN } },
      engine: 'fast',
      trainingSeconds: 0,
      steps: 0,
      events: 0,
      trainingEvents: [],
      createdAt: new Date().toISOString(),
    },
  };
}

export const benchmark: Benchmark = {
  description: 'model load time and warm ms/event of the JS sampler (models/default, or a random default-shape model)',
  async run() {
    const hasDefault = existsSync(join(defaultModelDir, 'manifest.json'));
    const loadStarted = performance.now();
    const model = hasDefault ? await loadModel(new FsStore(defaultModelDir), '') : randomDefaultModel();
    const sampler = createSampler(model);
    const loadMs = performance.now() - loadStarted;
    sampler.generate({ maxEvents: warmupEvents, temperature: 1, topK: 0, topP: 0.95, seed: 1 });
    const started = performance.now();
    const events = sampler.generate({ maxEvents: measuredEvents, temperature: 1, topK: 0, topP: 0.95, seed: 2 });
    const msPerEvent = (performance.now() - started) / events.length;
    return {
      model: hasDefault ? 'models/default' : 'random default-shape model (models/default absent)',
      shape: model.shape,
      loadMs: Number(loadMs.toFixed(1)),
      msPerEvent: Number(msPerEvent.toFixed(4)),
      eventsPerSecond: Math.round(1000 / msPerEvent),
      events: events.length,
      targetMsPerEvent: 0.5,
    };
  },
};
