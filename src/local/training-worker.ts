import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../dataset/dataset-store.js';
import { defaultModelShape } from '../model/config.js';
import { resolveHyperparameters } from '../model/hyperparameters.js';
import { trainModel } from '../model/trainer.js';
import type { LatestPointer } from '../pipeline/contracts.js';
import { keys } from '../pipeline/keys.js';
import { FsStore } from '../store/fs-store.js';
import { putJson } from '../store/json.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup } from './training-messages.js';

// One training run in its own thread, so the server keeps answering while it trains.
const setup = workerData as TrainingWorkerSetup;
const port = parentPort!;
const post = (message: TrainingWorkerMessage) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: unknown) => {
  if (message === stopMessage) controller.abort();
});

try {
  const store = new FsStore(setup.bucketDir);
  const dataset = await loadDataset(store, keys.datasetPrefix('performance'));
  const prefix = keys.modelPrefix(setup.runId);
  const summary = await trainModel({
    dataset,
    store,
    prefix,
    shape: { ...defaultModelShape, ...setup.overrides.shape, vocabSize: dataset.tokenizer.vocabSize },
    hyperparameters: resolveHyperparameters(setup.overrides.hyperparameters),
    minutes: setup.minutes,
    engine: 'auto',
    resume: true,
    signal: controller.signal,
    onProgress: (event) => post({ kind: 'progress', event }),
    log: (line) => post({ kind: 'log', line }),
  });
  const published = summary.manifest !== undefined;
  if (published) {
    const pointer: LatestPointer = { schemaVersion: 1, runId: setup.runId, publishedAt: new Date().toISOString() };
    await putJson(store, keys.latest, pointer);
  }
  post({ kind: 'finished', runId: setup.runId, stoppedBy: summary.stoppedBy, published });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
port.close();
