import { describe, expect, it, vi } from 'vitest';
import { createFastEngine } from '../../../src/model/engine/fast-engine.js';
import { resolveHyperparameters } from '../../../src/model/hyperparameters.js';
import { loadModel } from '../../../src/model/model-files.js';
import { createSampler } from '../../../src/model/sampler.js';
import { trainModel, type TrainRunOptions } from '../../../src/model/trainer.js';
import type { Dataset } from '../../../src/dataset/dataset-store.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { controlLayout } from '../../../src/model/controls/control-spec.js';
import { KEYBOARD_KEYS, keyboardSpec } from '../../../src/model/controls/keyboard-input.js';
import { prepareTrainingData } from '../../../src/model/training-data.js';
import { CheckpointError } from '../../../src/model/checkpoint.js';
import type { ModelShape } from '../../../src/model/config.js';
import type { GradientEngine } from '../../../src/model/engine/engine.js';
import { temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

/** Scales and arpeggios as performance ids: learnable in a few steps. */
function syntheticDataset(): Dataset {
  const entries = Array.from({ length: 24 }, (_, file) => {
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) {
      const pitch = 48 + ((file + i * (1 + (file % 3))) % 24);
      ids.push(pitch, 256 + 9, 128 + pitch);
    }
    const digest = `file-${file}`;
    const composer = file % 2 === 0 ? 'Bach' : 'Chopin';
    return {
      meta: { schemaVersion: 1 as const, digest, source: `${digest}.mid`, tokenizer: 'performance' as const, notes: 200, seconds: 20, events: ids.length, composer },
      tokens: Uint16Array.from(ids),
    };
  });
  return { tokenizer: performanceTokenizer, entries, digest: 'synthetic' };
}

const hyperparameters = resolveHyperparameters({
  batchSize: 4,
  steps: 16,
  learningRate: 1e-2,
  warmupSteps: 3,
  validationEvery: 5,
  validationMaxEvents: 200,
  checkpointEveryMinutes: 60,
  // From a uniform output the loss falls fast; a unigram start would already be at this toy data's plateau.
  outputBiasFromUnigram: false,
  augment: { transpose: 0 },
});

/** The shape the run trains: the controls' width comes from the data (two composers here). */
const trainedShape = { ...tinyShape, controlSize: controlLayout(prepareTrainingData(syntheticDataset(), hyperparameters).controls!).width };

async function run(overrides: Partial<TrainRunOptions>, store = temporaryStore()) {
  const engine = await createFastEngine(trainedShape);
  const summary = await trainModel({
    dataset: syntheticDataset(),
    store,
    prefix: 'run/',
    shape: tinyShape,
    hyperparameters,
    minutes: 5,
    maxSteps: 10,
    engine,
    resume: false,
    log: () => {},
    ...overrides,
  });
  return { summary, store };
}

describe('trainModel', () => {
  it('learns, saves the best parameters with a manifest and a progress log', async () => {
    const { summary, store } = await run({});
    expect(summary.stoppedBy).toBe('max-steps');
    const model = await loadModel(store, 'run/');
    expect(model.manifest.steps).toBe(10);
    expect(model.manifest.hyperparameters).toEqual(hyperparameters);
    expect(model.manifest.controls!.styles).toEqual(['Bach', 'Chopin']);
    expect(model.manifest.controls!.densityResponse).toHaveLength(model.manifest.controls!.densityEdges.length + 1);
    expect(model.manifest.sampling).toBeUndefined();
    expect(model.shape).toEqual(trainedShape);
    const lines = new TextDecoder().decode(await store.get('run/progress.jsonl')).trim().split('\n').map((line) => JSON.parse(line));
    const firstValidation = lines.find((line) => line.kind === 'validation').validationNll;
    expect(model.manifest.metrics.validationNll).toBeLessThan(firstValidation);
    expect(lines.filter((line) => line.kind === 'train').map((line) => line.step)).toEqual([10]);
    expect(lines.filter((line) => line.kind === 'validation').map((line) => line.step)).toEqual([5, 10]);
    expect(await store.list('run/checkpoint/')).toEqual([]);
  });

  it.each([
    { training: 'plain', overrides: {} },
    { training: 'with dropout 0.2', overrides: { hyperparameters: { ...hyperparameters, dropout: 0.2 } } },
  ])('stops on a signal with a checkpoint and resumes to bit-identical parameters ($training)', async ({ overrides }) => {
    const { store: uninterrupted } = await run(overrides);
    const controller = new AbortController();
    const { summary, store } = await run({
      ...overrides,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.kind === 'validation' && event.step === 5) controller.abort();
      },
    });
    expect(summary).toMatchObject({ stoppedBy: 'signal', steps: 5 });
    expect(summary.manifest).toBeUndefined();
    expect((await store.list('run/checkpoint/')).length).toBeGreaterThan(0);

    const resumed = await run({ ...overrides, resume: true }, store);
    expect(resumed.summary).toMatchObject({ stoppedBy: 'max-steps', steps: 10 });
    expect(await store.get('run/group1-shard1of1.bin')).toEqual(await uninterrupted.get('run/group1-shard1of1.bin'));
    const progress = async (s: typeof store) => new TextDecoder().decode(await s.get('run/progress.jsonl')).split('\n').map((line) => (line ? JSON.parse(line).step : undefined));
    expect(await progress(store)).toEqual(await progress(uninterrupted));
    expect((await loadModel(store, 'run/')).manifest.trainingEvents.map((event) => event.kind)).toEqual(['start', 'signal', 'resume', 'max-steps']);
  });

  it('with dropout, trains other weights than without and records the rate', async () => {
    const { store: plain } = await run({});
    const { store } = await run({ hyperparameters: { ...hyperparameters, dropout: 0.3 } });

    expect(await store.get('run/group1-shard1of1.bin')).not.toEqual(await plain.get('run/group1-shard1of1.bin'));
    expect((await loadModel(store, 'run/')).manifest.hyperparameters.dropout).toBe(0.3);
  });

  it('with the keyboard input, widens the controls by the 88 keys, saves it in the manifest, and the model samples', async () => {
    const keysShape = { ...tinyShape, controlSize: trainedShape.controlSize + KEYBOARD_KEYS };
    const { store } = await run({ hyperparameters: { ...hyperparameters, keyboard: true }, engine: await createFastEngine(keysShape) });

    const model = await loadModel(store, 'run/');
    expect(model.manifest.controls!.keyboard).toEqual(keyboardSpec);
    // Its own top-p, which requests that name none get (see keyboardModelSampling).
    expect(model.manifest.sampling).toEqual({ topP: 0.99 });
    expect(model.shape.controlSize).toBe(keysShape.controlSize);
    const sample = () => createSampler(model, performanceTokenizer).generate({ stop: { maxSeconds: 5 }, decoding: { temperature: 1, topK: 0, topP: 1, seed: 3 } });
    expect(sample().length).toBeGreaterThan(10);
    expect(sample()).toEqual(sample());
  });

  it('with weight averaging, validates both weight sets, keeps the better and resumes to bit-identical parameters', async () => {
    const averaging = { ...hyperparameters, averageDecay: 0.9 };
    const { store: uninterrupted } = await run({ hyperparameters: averaging });
    const controller = new AbortController();
    const { store } = await run({
      hyperparameters: averaging,
      signal: controller.signal,
      onProgress: (event) => {
        if (event.kind === 'validation' && event.step === 5) controller.abort();
      },
    });
    await run({ hyperparameters: averaging, resume: true }, store);

    expect(await store.get('run/group1-shard1of1.bin')).toEqual(await uninterrupted.get('run/group1-shard1of1.bin'));
    const validationsIn = async (s: typeof store) =>
      new TextDecoder().decode(await s.get('run/progress.jsonl')).trim().split('\n').map((line) => JSON.parse(line))
        .filter((line) => line.kind === 'validation').map(({ elapsedSeconds: _, ...line }) => line);
    const validations = await validationsIn(store);
    expect(validations).toHaveLength(2);
    expect(validations).toEqual(await validationsIn(uninterrupted)); // the average was carried through the checkpoint
    for (const line of validations) {
      expect(line.averagedNll).not.toBe(line.rawNll);
      expect(line.validationNll).toBe(Math.min(line.averagedNll, line.rawNll));
    }
    expect((await loadModel(store, 'run/')).manifest.metrics.validationNll).toBe(Math.min(...validations.map((line) => line.validationNll)));
  });

  it('refuses to resume a checkpoint written with other --units, and disposes of the engine it built', async () => {
    const controller = new AbortController();
    const { store } = await run({ signal: controller.signal, onProgress: () => controller.abort() });
    const built: GradientEngine[] = [];
    const engine = async (shape: ModelShape) => {
      built.push(await createFastEngine(shape));
      vi.spyOn(built[0]!, 'dispose');
      return built[0]!;
    };

    const resuming = run({ resume: true, shape: { ...tinyShape, units: 16 }, engine }, store);

    await expect(resuming).rejects.toThrow(CheckpointError);
    await expect(resuming).rejects.toThrow(/another model shape.*--units/);
    expect(built[0]!.dispose).toHaveBeenCalledOnce();
  });

  it('refuses a shape whose vocabulary differs from the tokenizer’s', async () => {
    await expect(run({ shape: { ...tinyShape, vocabSize: 10 } })).rejects.toThrow(/vocabSize/);
  });
});
