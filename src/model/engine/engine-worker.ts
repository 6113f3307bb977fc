import { workerData } from 'node:worker_threads';
import { serveRequests } from '../../workers/serve-requests.js';
import type { ModelShape } from '../config.js';
import type { Batch, BatchResult } from './engine.js';
import { createFastEngine } from './fast-engine.js';

/** What the parallel engine sends each worker: its share of a batch; parameters are in the shared buffer. */
export interface WorkerRequest {
  withGradients: boolean;
  batch: Batch;
}

export interface WorkerSetup {
  shape: ModelShape;
  /** Shared with the main thread, which writes the parameters before each request. */
  parameters: SharedArrayBuffer;
  /** This worker's gradient of its share's mean loss. */
  gradients: SharedArrayBuffer;
}

const setup = workerData as WorkerSetup;
const parameters = new Float32Array(setup.parameters);
const gradients = new Float32Array(setup.gradients);

await serveRequests<WorkerRequest, BatchResult>(async () => {
  const engine = await createFastEngine(setup.shape).catch((error: unknown) => {
    throw new Error(`the fast engine failed to start in a worker: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    handle: (request) => (request.withGradients ? engine.lossAndGradients(parameters, request.batch, gradients) : engine.loss(parameters, request.batch)),
    close: () => engine.dispose(),
  };
});
