import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/dataset/dataset-store.js';
import { sideOf } from '../../../src/dataset/split.js';
import { createFastEngine } from '../../../src/model/engine/fast-engine.js';
import { resolveHyperparameters } from '../../../src/model/hyperparameters.js';
import { loadModel } from '../../../src/model/model-files.js';
import { trainModel } from '../../../src/model/trainer.js';
import { fitBatch, prepareTrainingData, splitTrainValidation, TooLittleDataError } from '../../../src/model/training-data.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

/** A dataset of `lengths.length` files of performance ids, file i holding lengths[i] ids. */
function dataset(lengths: number[], name = 'f'): Dataset {
  const entries = lengths.map((length, file) => {
    const ids = Array.from({ length }, (_, i) => (i % 3 === 0 ? 48 + ((file + i) % 24) : i % 3 === 1 ? 256 + 9 : 128 + 48 + ((file + i - 1) % 24)));
    const digest = `${name}-${file}`;
    return {
      meta: { schemaVersion: 1 as const, digest, source: `${digest}.mid`, tokenizer: 'performance' as const, notes: length / 3, seconds: 10, events: length },
      tokens: Uint16Array.from(ids),
    };
  });
  return { tokenizer: performanceTokenizer, entries, digest: `digest-${name}-${lengths.join('-')}` };
}

const hp = resolveHyperparameters({ batchSize: 4, steps: 16, validationEvery: 5, validationMaxEvents: 500, augment: { transpose: 0 } });
const everythingValidates = { train: [], validation: [], validationFraction: 1 };
const nothingValidates = { train: [], validation: [], validationFraction: 0 };

describe('prepareTrainingData on tiny datasets', () => {
  it('trains and validates on the only file, whichever side the split gives it, and says validation is not held out', () => {
    for (const split of [everythingValidates, nothingValidates, undefined]) {
      const data = prepareTrainingData(dataset([300]), hp, split);
      expect(data.train).toHaveLength(1);
      expect(data.trainEvents).toBe(300);
      expect(data.validationEvents).toBe(299);
      expect(data.validationHeldOut).toBe(false);
      expect(data.notes.join(' ')).toMatch(/NOT held out/);
      expect(data.hyperparameters).toMatchObject({ batchSize: 4, steps: 16 });
      expect(() => data.createBatches(undefined).next()).not.toThrow();
    }
  });

  it('with two files that each fill a batch, lends one to validation when the split validates none', () => {
    const data = prepareTrainingData(dataset([300, 300]), hp, nothingValidates);
    expect(data.train).toHaveLength(1);
    expect(data.validationHeldOut).toBe(true);
    expect(data.validationEvents).toBe(299);
  });

  it('with two files too small to spare one, trains on both and validates on them', () => {
    const data = prepareTrainingData(dataset([60, 60]), hp, nothingValidates);
    expect(data.train).toHaveLength(2);
    expect(data.validationHeldOut).toBe(false);
    expect(data.validationEvents).toBe(118);
  });

  it('follows a split that holds files out and leaves the batch as asked', () => {
    const files = dataset(Array.from({ length: 30 }, () => 120), 'many');
    const data = prepareTrainingData(files, hp);
    const validating = files.entries.filter((entry) => sideOf(entry.meta) === 'validation').length;
    expect(validating).toBeGreaterThan(0);
    expect(data.train).toHaveLength(30 - validating);
    expect(data.validationHeldOut).toBe(true);
    expect(data.notes).toEqual([]);
    expect(data.hyperparameters).toEqual(hp);
  });

  it('shrinks streams, then the window, when all events are fewer than streams × window', () => {
    expect(fitBatch([new Uint16Array(40)], hp)).toEqual({ batchSize: 2, steps: 16 });
    expect(fitBatch([new Uint16Array(10)], hp)).toEqual({ batchSize: 1, steps: 9 });
    expect(fitBatch([new Uint16Array(10)], { ...hp, carryState: false })).toEqual({ batchSize: 4, steps: 9 });
    const data = prepareTrainingData(dataset([12]), hp);
    expect(data.hyperparameters).toMatchObject({ batchSize: 1, steps: 11 });
    expect(data.notes.join(' ')).toMatch(/too small for 4 × 16-event windows: using 1 × 11/);
    const batch = data.createBatches(undefined).next();
    expect(batch).toMatchObject({ batchSize: 1, steps: 11 });
  });

  it('throws a typed error when no file holds two events', () => {
    expect(() => splitTrainValidation(dataset([1, 0]))).toThrow(TooLittleDataError);
  });
});

describe('trainModel on one small file', () => {
  it('publishes a model and records that validation was not held out', async () => {
    const store = temporaryStore();
    const summary = await trainModel({
      dataset: dataset([40]),
      split: everythingValidates,
      store,
      prefix: 'run/',
      shape: tinyShape,
      hyperparameters: hp,
      minutes: 1,
      maxSteps: 3,
      engine: createFastEngine,
      resume: false,
      log: () => {},
    });
    expect(summary.stoppedBy).toBe('max-steps');
    expect(summary.manifest?.metrics.validationHeldOut).toBe(false);
    expect(summary.manifest?.hyperparameters).toMatchObject({ batchSize: 2, steps: 16 });
    expect((await loadModel(store, 'run/')).manifest.metrics.validationHeldOut).toBe(false);
  });
});
