import { Worker, type Transferable } from 'node:worker_threads';
import { workerBundleUrl } from './worker-bundle.js';
import type { WorkerEntry } from './worker-entries.js';
import { WorkerPoolError } from './worker-errors.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

export interface WorkerPoolOptions {
  entry: WorkerEntry;
  size: number;
  /** What worker `index` receives as `workerData` (again when it is replaced after a crash). */
  workerData(index: number): unknown;
  /** Turns a failure into the caller's typed error; by default a {@link WorkerPoolError}. */
  toError?(failure: WorkerPoolError): Error;
}

export interface RequestOptions {
  /** The worker to run on; by default the {@link WorkerPool.leastBusy} one. */
  worker?: number;
  /** How much work the request is (e.g. its bytes), for {@link WorkerPool.leastBusy}; default 1. */
  cost?: number;
  /** Buffers handed over instead of copied (unusable here afterwards). */
  transfer?: Transferable[];
}

interface Pending<Result> {
  cost: number;
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface Slot<Result> {
  worker: Worker;
  pending: Map<number, Pending<Result>>;
  /** Set when a replacement worker failed before it was ready: requests to this slot fail at once. */
  broken?: WorkerPoolError;
}

/**
 * The one worker-thread pool: starts `size` workers of a bundled entry (see {@link workerBundleUrl}), routes
 * requests and replies by id, fails the requests of a worker that dies and replaces it, and lets the process exit
 * while every worker is idle. The worker side is {@link serveRequests}.
 *
 * @example
 * const pool = await WorkerPool.start<TokenizeRequest, TokenizeReply>({ entry: 'tokenize', size: 2, workerData: () => setup });
 * const reply = await pool.request({ bytes, source: "a.mid" }, { transfer: [bytes.buffer] });
 * await pool.close();
 */
export class WorkerPool<Payload, Result> {
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly url: URL,
    private readonly options: WorkerPoolOptions,
    private readonly slots: Slot<Result>[],
  ) {}

  /** Starts every worker and waits until each is ready; if one cannot start, stops the others and rejects. */
  static async start<Payload, Result>(options: WorkerPoolOptions): Promise<WorkerPool<Payload, Result>> {
    const url = await workerBundleUrl(options.entry);
    const started = await Promise.allSettled(Array.from({ length: Math.max(1, options.size) }, (_, index) => startWorker(url, options.workerData(index))));
    const workers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const failure = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw (options.toError ?? ((error) => error))(failure.reason as WorkerPoolError);
    }
    const pool = new WorkerPool<Payload, Result>(url, options, workers.map((worker) => ({ worker, pending: new Map() })));
    pool.slots.forEach((slot, index) => pool.listen(slot, index, true));
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Requests sent to worker `index` and not yet answered. */
  inFlight(index: number): number {
    return this.slots[index]!.pending.size;
  }

  /** The index of the worker with the least work in flight: the sum of its requests' costs. */
  leastBusy(): number {
    const loads = this.slots.map((slot) => [...slot.pending.values()].reduce((total, { cost }) => total + cost, 0));
    return loads.indexOf(Math.min(...loads));
  }

  /** Runs `payload` in a worker; rejects with the worker's failure if it throws or dies meanwhile. */
  request(payload: Payload, options: RequestOptions = {}): Promise<Result> {
    if (this.closed) return Promise.reject(this.error(new WorkerPoolError('request', 'the worker pool is closed')));
    const slot = this.slots[options.worker ?? this.leastBusy()]!;
    if (slot.broken) return Promise.reject(this.error(slot.broken));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { cost: options.cost ?? 1, resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ kind: 'request', id, payload } satisfies ToWorker<Payload>, options.transfer ?? []);
    });
  }

  /** Lets each worker release what it holds (its `close` handler), then stops it; requests in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async ({ worker }) => {
        if (worker.threadId === -1) return; // already exited
        worker.ref();
        await new Promise<void>((resolve) => {
          const done = () => resolve();
          worker.once('exit', done).on('message', (message: FromWorker<Result>) => message.kind === 'closed' && done());
          worker.postMessage({ kind: 'close' } satisfies ToWorker<Payload>);
        });
        await worker.terminate();
      }),
    );
  }

  private listen(slot: Slot<Result>, index: number, ready: boolean): void {
    const worker = slot.worker;
    worker.on('message', (message: FromWorker<Result>) => {
      if (message.kind === 'ready') ready = true;
      if (message.kind !== 'reply' && message.kind !== 'failed') return;
      const waiting = slot.pending.get(message.id);
      if (!waiting) return;
      slot.pending.delete(message.id);
      if (slot.pending.size === 0) worker.unref();
      if (message.kind === 'reply') waiting.resolve(message.result);
      else waiting.reject(this.error(new WorkerPoolError('request', message.message, message.detail)));
    });
    const fail = (failure: WorkerPoolError) => {
      if (slot.worker !== worker) return;
      for (const waiting of slot.pending.values()) waiting.reject(this.error(failure));
      slot.pending.clear();
      // A worker that dies before it is ready would die again: stop replacing it.
      if (!ready) slot.broken = failure;
      else if (!this.closed) this.replace(slot, index);
    };
    worker.on('error', (error) => fail(new WorkerPoolError('crash', `a ${this.options.entry} worker crashed: ${error.message}`)));
    worker.on('exit', (code) => fail(new WorkerPoolError('crash', `a ${this.options.entry} worker exited (code ${code})`)));
  }

  private replace(slot: Slot<Result>, index: number): void {
    // Requests posted before the new worker is ready wait in its port until it listens.
    const worker = new Worker(this.url, { workerData: this.options.workerData(index) });
    worker.unref();
    slot.worker = worker;
    this.listen(slot, index, false);
  }

  private error(failure: WorkerPoolError): Error {
    return this.options.toError ? this.options.toError(failure) : failure;
  }
}

async function startWorker(url: URL, workerData: unknown): Promise<Worker> {
  const worker = new Worker(url, { workerData });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker<unknown>) => {
      worker.off('error', onError);
      if (message.kind === 'ready') resolve();
      else reject(new WorkerPoolError('start', message.kind === 'start-failed' ? message.message : `unexpected first message ${message.kind}`));
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(new WorkerPoolError('start', `a worker failed to start: ${error.message}`));
    };
    worker.once('message', onMessage).once('error', onError);
  });
  worker.unref();
  return worker;
}
