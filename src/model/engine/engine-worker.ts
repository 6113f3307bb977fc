import { parentPort, workerData } from 'node:worker_threads';
import type { ModelShape } from '../config.js';
import type { Batch, BatchResult } from './engine.js';
import { createFastEngine } from './fast-engine.js';

/** What the parallel engine sends each worker: its share of a batch; parameters are in the shared buffer. */
export interface WorkerRequest {
  id: number;
  withGradients: boolean;
  batch: Batch;
}

export type WorkerReply = { id: number; result: BatchResult } | { id: number; error: string };

export interface WorkerSetup {
  shape: ModelShape;
  /** Shared with the main thread, which writes the parameters before each request. */
  parameters: SharedArrayBuffer;
  /** This worker's gradient of its share's mean loss. */
  gradients: SharedArrayBuffer;
}

const setup = workerData as WorkerSetup;
const port = parentPort!;
const parameters = new Float32Array(setup.parameters);
const gradients = new Float32Array(setup.gradients);

try {
  const engine = await createFastEngine(setup.shape);
  port.on('message', async (request: WorkerRequest | 'dispose') => {
    if (request === 'dispose') {
      await engine.dispose();
      port.postMessage('disposed');
      return;
    }
    try {
      const result = request.withGradients
        ? await engine.lossAndGradients(parameters, request.batch, gradients)
        : await engine.loss(parameters, request.batch);
      port.postMessage({ id: request.id, result } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    }
  });
  port.postMessage('ready');
} catch (error) {
  port.postMessage({ id: -1, error: `the fast engine failed to start in a worker: ${error instanceof Error ? error.message : String(error)}` });
}
