import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../src/midi/parse-midi.js';
import { writeMidi } from '../../src/midi/write-midi.js';
import type { ModelShape } from '../../src/model/config.js';
import { selectEngine } from '../../src/model/engine/select-engine.js';
import { resolveHyperparameters } from '../../src/model/hyperparameters.js';
import { loadModel } from '../../src/model/model-files.js';
import { tokenizerOf } from '../../src/model/model-tokenizer.js';
import { createSampler } from '../../src/model/sampler.js';
import { trainModel, type TrainRunOptions } from '../../src/model/trainer.js';
import type { Dataset } from '../../src/dataset/dataset-store.js';
import { performanceTokenizer } from '../../src/tokens/index.js';
import { performances } from '../support/performance-midi.js';
import { temporaryStore } from '../../fixtures/model-fixtures.js';

const shape = { vocabSize: 388, embeddingSize: 16, units: 32, layers: 2 };

/** Six generated performances of a minute, tokenized in code (two of them end up in validation or are moved there). */
function generatedDataset(): Dataset {
  const entries = performances(6, 60).map((bytes, index) => {
    const name = `performance ${index}.mid`;
    const sequence = parseMidi(bytes);
    const tokens = performanceTokenizer.encode(sequence);
    return {
      meta: { schemaVersion: 1 as const, digest: name, source: name, tokenizer: 'performance' as const, notes: sequence.notes.length, seconds: 0, events: tokens.length },
      tokens,
    };
  });
  return { tokenizer: performanceTokenizer, entries, digest: 'six-generated-files' };
}

describe('train → checkpoint → resume → generate → MIDI', () => {
  it('trains on generated performances with the real engine, resumes, and writes a reproducible, varied piece', async () => {
    const store = temporaryStore();
    const dataset = generatedDataset();
    const engine = (trainedShape: ModelShape) => selectEngine(trainedShape, { engine: 'fast', workers: 1, log: () => {} });
    const controller = new AbortController();
    const options: TrainRunOptions = {
      dataset,
      store,
      prefix: 'model/',
      shape,
      hyperparameters: resolveHyperparameters({
        batchSize: 8,
        steps: 32,
        warmupSteps: 5,
        learningRate: 1e-2,
        validationEvery: 30,
        validationMaxEvents: 2000,
        // A uniform start shows learning within seconds; from the unigram start the first minutes are a plateau.
        outputBiasFromUnigram: false,
      }),
      minutes: 1,
      maxSteps: 150,
      engine,
      resume: false,
      log: () => {},
    };
    const interrupted = await trainModel({
      ...options,
      signal: controller.signal,
      onProgress: (event) => event.kind === 'validation' && controller.abort(),
    });
    expect(interrupted.stoppedBy).toBe('signal');
    const finished = await trainModel({ ...options, resume: true });
    expect(finished.stoppedBy).toBe('max-steps');
    expect(finished.manifest!.trainingEvents.map((event) => event.kind)).toContain('resume');

    const model = await loadModel(store, 'model/');
    const progress = new TextDecoder().decode(await store.get('model/progress.jsonl')).trim().split('\n').map((line) => JSON.parse(line));
    const trainLosses = progress.filter((line) => line.kind === 'train').map((line) => line.trainLoss as number);
    const validations = progress.filter((line) => line.kind === 'validation').map((line) => line.validationNll as number);
    expect(trainLosses.at(-1)).toBeLessThan(trainLosses[0]! - 0.5);
    expect(model.manifest.metrics.validationNll).toBe(Math.min(...validations));
    expect(model.manifest.metrics.validationNll).toBeLessThan(validations[0]!);
    const tokenizer = tokenizerOf(model.manifest);
    const sampler = createSampler(model, tokenizer);
    const settings = { stop: { maxEvents: 400 }, decoding: { temperature: 1, topK: 0, topP: 0.95, seed: 11 } };
    const piece = sampler.generate(settings);
    expect(sampler.generate(settings)).toEqual(piece);

    const written = parseMidi(writeMidi(tokenizer.decode(piece)));
    expect(written.notes.length).toBeGreaterThan(10);
    expect(new Set(written.notes.map((note) => note.pitch)).size).toBeGreaterThan(3);
  });
});
