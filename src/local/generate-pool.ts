import { availableParallelism } from 'node:os';
import type { GeneratedPiece } from '../pipeline/generate-piece.js';
import type { GenerateParams } from '../pipeline/generate-params.js';
import { serverBusy } from '../pipeline/request-errors.js';
import { WorkerPool } from '../workers/worker-pool.js';
import { errorFromWire, type GenerateJob, type GenerateWorkerSetup, type WireError } from './generate-messages.js';

/** Threads the local server samples on by default: both cores of a small machine, the event loop left free. */
export const defaultGeneratePoolSize = Math.min(2, availableParallelism());

/**
 * Jobs one worker may hold (running + waiting). A 120-second piece samples for a few seconds, so a deeper queue only
 * makes later requests wait out their deadline; past this the pool refuses at once (503, Retry-After) instead, and a
 * job still waiting at its deadline is refused by the worker without sampling.
 */
export const defaultJobsPerWorker = 16;

/**
 * Worker threads that run the generate use case for the local server, so sampling (synchronous, CPU-bound) neither
 * blocks its event loop (event streams, uploads) nor leaves a core idle. Each job goes to the worker with the fewest
 * jobs in flight; a worker that dies fails its jobs and is replaced.
 *
 * @example
 * const pool = new GeneratePool(bucketDir);
 * const piece = await pool.generate(parseGenerateParams({ seconds: '5' }, 'query'), Date.now() + 20_000);
 * await pool.close();
 */
export class GeneratePool {
  // Started at once, awaited by the first job: the server need not wait for its sampling threads to listen.
  private readonly pool: Promise<WorkerPool<GenerateJob, GeneratedPiece | undefined>>;
  private closed = false;

  constructor(
    bucketDir: string,
    size: number = defaultGeneratePoolSize,
    private readonly jobsPerWorker: number = defaultJobsPerWorker,
  ) {
    const setup: GenerateWorkerSetup = { bucketDir };
    this.pool = WorkerPool.start({
      entry: 'generate',
      size,
      workerData: () => setup,
      // Request errors travel with their code and status, so the HTTP layer answers as it does in-process.
      toError: (failure) => (failure.kind === 'request' && failure.detail ? errorFromWire(failure.detail as WireError) : new Error(failure.message)),
    });
    this.pool.catch(() => {}); // reported by the first job
  }

  /**
   * Samples a piece in a worker; rejects with the same request errors {@link generatePiece} throws, and with
   * a `busy` 503 when every worker already holds its share of jobs or the job waited past its deadline.
   */
  async generate(params: GenerateParams, deadline: number): Promise<GeneratedPiece> {
    if (this.closed) throw new Error('the generate pool is closed');
    const pool = await this.pool;
    const worker = pool.leastBusy();
    if (pool.inFlight(worker) >= this.jobsPerWorker) {
      throw serverBusy(`all ${pool.size * this.jobsPerWorker} generate slots are taken: try again in a few seconds`);
    }
    return (await pool.request({ kind: 'generate', params, deadline }, { worker }))!;
  }

  /**
   * Tells every worker that `models/latest.json` changed; resolves once each has forgotten the pointer it read. A
   * worker's messages are taken in order, so every piece asked for after this call follows the new pointer.
   */
  async latestChanged(): Promise<void> {
    // Workers that never started, or were stopped, hold no pointer; a worker that fails here is replaced by one that
    // reads the pointer afresh.
    const pool = await this.pool.catch(() => undefined);
    if (!pool || this.closed) return;
    await Promise.allSettled(Array.from({ length: pool.size }, (_, worker) => pool.request({ kind: 'latest-changed' }, { worker })));
  }

  /** Stops the workers; jobs still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    await (await this.pool.catch(() => undefined))?.close();
  }
}
