import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { tsxWorkerUrl } from '../model/engine/tsx-worker.js';
import type { GeneratedPiece } from '../pipeline/generate-piece.js';
import type { GenerateParams } from '../pipeline/generate-params.js';
import { ServerBusyError } from '../pipeline/request-errors.js';
import { errorFromWire, type GenerateJob, type GenerateJobResult, type GenerateWorkerSetup } from './generate-messages.js';

interface PendingJob {
  resolve(piece: GeneratedPiece): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, PendingJob>;
}

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
  private readonly slots: Slot[];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly bucketDir: string,
    size: number = defaultGeneratePoolSize,
    private readonly jobsPerWorker: number = defaultJobsPerWorker,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: undefined as unknown as Worker, pending: new Map<number, PendingJob>() }));
    for (const slot of this.slots) this.spawn(slot);
  }

  /**
   * Samples a piece in a worker; rejects with the same typed errors {@link generatePiece} throws, and with
   * {@link ServerBusyError} when every worker already holds its share of jobs or the job waited past its deadline.
   */
  generate(params: GenerateParams, deadline: number): Promise<GeneratedPiece> {
    if (this.closed) return Promise.reject(new Error('the generate pool is closed'));
    const slot = this.slots.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    if (slot.pending.size >= this.jobsPerWorker) {
      return Promise.reject(new ServerBusyError(`all ${this.slots.length * this.jobsPerWorker} generate slots are taken: try again in a few seconds`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, params, deadline } satisfies GenerateJob);
    });
  }

  /** Stops the workers; jobs still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(slot: Slot): void {
    const setup: GenerateWorkerSetup = { bucketDir: this.bucketDir };
    const worker = new Worker(tsxWorkerUrl(new URL('./generate-worker.ts', import.meta.url)), { workerData: setup });
    slot.worker = worker;
    worker.on('message', (result: GenerateJobResult) => {
      const job = slot.pending.get(result.id);
      if (!job) return;
      slot.pending.delete(result.id);
      if (result.ok) job.resolve(result.piece);
      else job.reject(errorFromWire(result.error));
    });
    const fail = (error: Error) => {
      if (slot.worker !== worker) return;
      for (const job of slot.pending.values()) job.reject(error);
      slot.pending.clear();
      if (!this.closed) this.spawn(slot);
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`a generate worker exited (code ${code})`)));
  }
}
