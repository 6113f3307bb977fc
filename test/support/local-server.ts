import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../src/local/local-server.js';
import { parameterLayout, type ModelShape } from '../../src/model/config.js';
import { controlLayout } from '../../src/model/controls/control-spec.js';
import { initializeParameters } from '../../src/model/initialize.js';
import { saveModel } from '../../src/model/model-files.js';
import { FsStore } from '../../src/store/fs-store.js';
import { manifestFor, tinyControlSpec } from '../../fixtures/model-fixtures.js';
import { noteOff, noteOn, singleTrackFile } from './midi-bytes.js';

/** Small enough that a training run takes seconds and a generate request milliseconds. */
export const tinyTrainOverrides = {
  shape: { embeddingSize: 8, units: 16, layers: 1 },
  hyperparameters: { batchSize: 4, steps: 16, warmupSteps: 2, validationEvery: 5, checkpointEveryMinutes: 0.05 },
} as const;

/** The tiny model has controls, as the shipped default does: local runs fine-tune it and keep its vocabulary. */
const tinyShape: ModelShape = { vocabSize: 388, ...tinyTrainOverrides.shape, controlSize: controlLayout(tinyControlSpec).width };

/**
 * A folder laid out as the repository's `models/`, whose `default/` holds a randomly initialised tiny model with
 * controls. Its output bias favours NOTE_ON ids (0..127 in the performance vocabulary), so even a 2-second piece has notes.
 */
export async function tinyShippedModels(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'rubato-tiny-models-'));
  const parameters = initializeParameters(tinyShape, { seed: 3 });
  const outputBias = parameterLayout(tinyShape).find((spec) => spec.name === 'dense/bias')!;
  parameters.fill(2, outputBias.offset, outputBias.offset + 128);
  await saveModel(new FsStore(folder), 'default/', {
    parameters,
    manifest: manifestFor(tinyShape, { controls: tinyControlSpec }),
  });
  return folder;
}

/** A local server on a free port over a fresh data folder, preloaded with a tiny random model. */
export async function startTestServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  return startLocalServer({
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'rubato-local-')),
    shippedModelsDir: await tinyShippedModels(),
    train: tinyTrainOverrides,
    ...options,
  });
}

/** A valid little piano piece: `notes` notes of a rising pattern, 1/8 s apart, distinct per `variant`. */
export function smallPiece(variant: number, notes = 120): Uint8Array {
  const events: number[][] = [];
  for (let i = 0; i < notes; i++) {
    const pitch = 48 + ((i * (variant + 2)) % 36);
    events.push(noteOn(i === 0 ? 0 : 60, 0, pitch, 60 + (i % 40)), noteOff(120, 0, pitch));
  }
  return singleTrackFile(...events);
}
