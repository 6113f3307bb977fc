import { parentPort, workerData } from 'node:worker_threads';
import type { PipelineLog } from '../log/log.js';
import { defaultModelShape } from '../model/config.js';
import { resolveHyperparameters } from '../model/hyperparameters.js';
import { trainDataset } from '../pipeline/train-dataset.js';
import { FsStore } from '../store/fs-store.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup } from './training-messages.js';

// One training run in its own thread, so the server keeps answering while it trains. It goes through the cloud
// trainer's use case: the same run ids, checkpoints/<runId>/ staging and publish (latest.json last).
const setup = workerData as TrainingWorkerSetup;
const port = parentPort!;
const post = (message: TrainingWorkerMessage) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: unknown) => {
  if (message === stopMessage) controller.abort();
});

const line = (message: string, details: Record<string, unknown>): string => {
  const { runId: _runId, ...rest } = details;
  return Object.keys(rest).length > 0 ? `${message} ${JSON.stringify(rest)}` : message;
};
const log: PipelineLog = {
  info: (message, details) => post({ kind: 'log', line: line(message, details) }),
  warn: (message, details) => post({ kind: 'log', line: `warning: ${line(message, details)}` }),
  error: (message, details) => post({ kind: 'log', line: `error: ${line(message, details)}` }),
};

try {
  const { vocabSize: _vocabSize, ...shape } = defaultModelShape;
  const outcome = await trainDataset({
    store: new FsStore(setup.bucketDir),
    tokenizer: 'performance',
    shape: { ...shape, ...setup.overrides.shape },
    hyperparameters: resolveHyperparameters(setup.overrides.hyperparameters),
    minutes: setup.minutes,
    engine: 'auto',
    signal: controller.signal,
    log,
    onRunId: (runId) => post({ kind: 'run', runId }),
    onProgress: (event) => post({ kind: 'progress', event }),
  });
  post({ kind: 'finished', outcome });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
port.close();
