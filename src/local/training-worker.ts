import { parentPort, workerData } from 'node:worker_threads';
import type { PipelineLog } from '../log/log.js';
import { defaultModelShape } from '../model/config.js';
import { resolveHyperparameters } from '../model/hyperparameters.js';
import { runTrainer } from '../pipeline/train-run.js';
import { PortQueue } from '../queue/port-queue.js';
import { FsStore } from '../store/fs-store.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup } from './training-messages.js';

// The cloud trainer's loop in a thread, so the server keeps answering while it trains: it takes the "train requested"
// messages from the server's queue, trains once (lease, resume, fine-tune, promotion as in the cloud) and exits: a
// request an upload sends meanwhile waits for the next start instead of starting a run nobody asked for.
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

/** The server sends its request just before starting the worker: a short idle wait is enough. */
const idleExitSeconds = 1;
const queue = new PortQueue(setup.queuePort);
try {
  const { vocabSize: _vocabSize, ...shape } = defaultModelShape;
  const exit = await runTrainer({
    store: new FsStore(setup.bucketDir),
    queue,
    tokenizer: 'performance',
    shape: { ...shape, ...setup.overrides.shape },
    hyperparameters: resolveHyperparameters(setup.overrides.hyperparameters),
    minutes: setup.minutes,
    engine: 'auto',
    idleExitSeconds,
    maxRuns: 1,
    heartbeatSeconds: 30,
    waitSeconds: idleExitSeconds,
    signal: controller.signal,
    log,
    onRunId: (runId) => post({ kind: 'run', runId }),
    onProgress: (event) => post({ kind: 'progress', event }),
  });
  post({ kind: 'finished', run: exit.runs.at(-1) });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}
queue.close();
port.close();
