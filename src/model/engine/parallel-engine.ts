import { Worker } from 'node:worker_threads';
import { parameterCount, type ModelShape } from '../config.js';
import { checkBatch } from './check-batch.js';
import type { Batch, BatchResult, GradientEngine, RecurrentState } from './engine.js';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './engine-worker.js';
import { tsxWorkerUrl } from './tsx-worker.js';

export interface ParallelEngineOptions {
  workers?: number;
}

/** A worker could not start its engine or failed on a request. */
export class EngineWorkerError extends Error {
  override readonly name = 'EngineWorkerError';
}

/**
 * Data parallel fast engine: each batch is split by sequences across worker threads, each running its own fast engine
 * (one onnxruntime thread each); gradients are averaged weighted by target count, so the result equals one engine on
 * the whole batch up to float round-off. Calls must not overlap.
 *
 * @example
 * const engine = await createParallelEngine(defaultModelShape, { workers: 2 });
 */
export async function createParallelEngine(shape: ModelShape, options: ParallelEngineOptions = {}): Promise<GradientEngine> {
  const size = parameterCount(shape) * Float32Array.BYTES_PER_ELEMENT;
  const parameters = new SharedArrayBuffer(size);
  const started = await Promise.allSettled(
    Array.from({ length: options.workers ?? 2 }, () => startWorker({ shape, parameters, gradients: new SharedArrayBuffer(size) })),
  );
  const workers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
    throw failure.reason;
  }
  return new ParallelEngine(shape, new Float32Array(parameters), workers);
}

interface EngineWorker {
  worker: Worker;
  gradients: Float32Array;
}

async function startWorker(setup: WorkerSetup): Promise<EngineWorker> {
  const worker = new Worker(tsxWorkerUrl(new URL('./engine-worker.ts', import.meta.url)), { workerData: setup });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: 'ready' | WorkerReply) => {
      if (message === 'ready') resolve();
      else reject(new EngineWorkerError('error' in message ? message.error : 'unexpected first message from an engine worker'));
    });
    worker.once('error', (error) => reject(new EngineWorkerError(`an engine worker failed to start: ${error.message}`)));
  });
  worker.unref(); // an idle engine must not keep the process alive; `request` holds a reference while busy
  return { worker, gradients: new Float32Array(setup.gradients) };
}

class ParallelEngine implements GradientEngine {
  readonly name = 'fast';
  private nextId = 0;

  constructor(
    readonly shape: ModelShape,
    private readonly sharedParameters: Float32Array,
    private readonly workers: EngineWorker[],
  ) {}

  async lossAndGradients(parameters: Float32Array, batch: Batch, gradients: Float32Array): Promise<BatchResult> {
    const { result, shares } = await this.run(parameters, batch, true);
    gradients.fill(0);
    shares.forEach((share, k) => {
      const weight = share.count / result.count;
      const own = this.workers[k]!.gradients;
      for (let i = 0; i < gradients.length; i++) gradients[i]! += weight * own[i]!;
    });
    return result;
  }

  async loss(parameters: Float32Array, batch: Batch): Promise<BatchResult> {
    return (await this.run(parameters, batch, false)).result;
  }

  async dispose(): Promise<void> {
    await Promise.all(
      this.workers.map(async ({ worker }) => {
        worker.ref();
        await new Promise((resolve) => worker.once('message', resolve).postMessage('dispose'));
        await worker.terminate();
      }),
    );
  }

  private async run(parameters: Float32Array, batch: Batch, withGradients: boolean): Promise<{ result: BatchResult; shares: BatchResult[] }> {
    checkBatch(this.shape, batch);
    this.sharedParameters.set(parameters);
    const parts = splitBatch(batch, this.shape.units, Math.min(this.workers.length, batch.batchSize));
    const shares = await Promise.all(parts.map((part, k) => this.request(this.workers[k]!.worker, { id: this.nextId++, withGradients, batch: part })));
    const count = shares.reduce((sum, share) => sum + share.count, 0);
    const join = (pick: (state: RecurrentState) => Float32Array[]) =>
      Array.from({ length: this.shape.layers }, (_, layer) => concat(shares.map((share) => pick(share.finalState)[layer]!)));
    return {
      shares,
      result: {
        loss: shares.reduce((sum, share) => sum + share.loss * share.count, 0) / count,
        correct: shares.reduce((sum, share) => sum + share.correct, 0),
        count,
        finalState: { h: join((state) => state.h), c: join((state) => state.c) },
      },
    };
  }

  private request(worker: Worker, request: WorkerRequest): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        worker.unref();
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.id !== request.id) return;
        settle();
        if ('error' in reply) reject(new EngineWorkerError(reply.error));
        else resolve(reply.result);
      };
      const onError = (error: Error) => {
        settle();
        reject(new EngineWorkerError(`an engine worker crashed: ${error.message}`));
      };
      const onExit = (code: number) => {
        settle();
        reject(new EngineWorkerError(`an engine worker exited (code ${code}) during a request`));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.ref();
      worker.postMessage(request);
    });
  }
}

/** Splits a batch into `parts` groups of whole sequences (and their initial states), as even as possible. */
export function splitBatch(batch: Batch, units: number, parts: number): Batch[] {
  const { batchSize, steps } = batch;
  return Array.from({ length: parts }, (_, k) => {
    const first = Math.floor((k * batchSize) / parts);
    const end = Math.floor(((k + 1) * batchSize) / parts);
    const state = batch.initialState;
    const slice = (values: Float32Array) => values.slice(first * units, end * units);
    const controlSize = batch.controls ? batch.controls.length / (batchSize * steps) : 0;
    return {
      ...(batch.controls ? { controls: batch.controls.slice(first * steps * controlSize, end * steps * controlSize) } : {}),
      inputs: batch.inputs.slice(first * steps, end * steps),
      targets: batch.targets.slice(first * steps, end * steps),
      batchSize: end - first,
      steps,
      initialState: state && { h: state.h.map(slice), c: state.c.map(slice) },
    };
  });
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
