import { parameterCount, type ModelShape } from '../config.js';
import { checkBatch } from './check-batch.js';
import type { Batch, BatchResult, GradientEngine, RecurrentState } from './engine.js';
import { WorkerPool } from '../../workers/worker-pool.js';
import type { WorkerRequest, WorkerSetup } from './engine-worker.js';

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
  const gradients = Array.from({ length: Math.max(1, options.workers ?? 2) }, () => new SharedArrayBuffer(size));
  const pool = await WorkerPool.start<WorkerRequest, BatchResult>({
    entry: 'engine',
    size: gradients.length,
    workerData: (index): WorkerSetup => ({ shape, parameters, gradients: gradients[index]! }),
    toError: (failure) => new EngineWorkerError(failure.message),
  });
  return new ParallelEngine(shape, new Float32Array(parameters), gradients.map((buffer) => new Float32Array(buffer)), pool);
}

class ParallelEngine implements GradientEngine {
  readonly name = 'fast';

  constructor(
    readonly shape: ModelShape,
    private readonly sharedParameters: Float32Array,
    private readonly workerGradients: Float32Array[],
    private readonly pool: WorkerPool<WorkerRequest, BatchResult>,
  ) {}

  async lossAndGradients(parameters: Float32Array, batch: Batch, gradients: Float32Array): Promise<BatchResult> {
    const { result, shares } = await this.run(parameters, batch, true);
    gradients.fill(0);
    shares.forEach((share, k) => {
      const weight = share.count / result.count;
      const own = this.workerGradients[k]!;
      for (let i = 0; i < gradients.length; i++) gradients[i]! += weight * own[i]!;
    });
    return result;
  }

  async loss(parameters: Float32Array, batch: Batch): Promise<BatchResult> {
    return (await this.run(parameters, batch, false)).result;
  }

  dispose(): Promise<void> {
    return this.pool.close();
  }

  private async run(parameters: Float32Array, batch: Batch, withGradients: boolean): Promise<{ result: BatchResult; shares: BatchResult[] }> {
    checkBatch(this.shape, batch);
    this.sharedParameters.set(parameters);
    const parts = splitBatch(batch, this.shape.units, Math.min(this.pool.size, batch.batchSize));
    const shares = await Promise.all(parts.map((part, worker) => this.pool.request({ withGradients, batch: part }, { worker })));
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
}

/**
 * Splits a batch into `parts` groups of whole sequences (and their initial states and dropout masks), as even as
 * possible.
 */
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
      ...(batch.dropout ? { dropout: { ...batch.dropout, firstSequence: batch.dropout.firstSequence + first } } : {}),
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
