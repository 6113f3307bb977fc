import { MessageChannel, Worker } from 'node:worker_threads';
import { tsxWorkerUrl } from '../model/engine/tsx-worker.js';
import type { TrainProgressEvent } from '../model/trainer.js';
import type { TrainRequest } from '../pipeline/contracts.js';
import type { TrainerRun } from '../pipeline/train-run.js';
import { serveQueue } from '../queue/port-queue.js';
import type { Queue } from '../queue/queue.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup, type TrainOverrides } from './training-messages.js';

/** `local/training.json`: the newest run, so a restarted server resumes a run a shutdown interrupted. */
export interface TrainingRecord {
  schemaVersion: 1;
  runId: string;
  minutes: number;
  fromScratch?: boolean;
  state: 'running' | 'interrupted' | 'stopped' | 'finished' | 'failed';
  /** finished: whether the run became latest, and why. */
  promoted?: boolean;
  reason?: string;
  message?: string;
}

/** What a user asks for: the run's whole budget, and whether to ignore the published models' weights. */
export interface TrainingStart {
  minutes: number;
  fromScratch?: boolean;
}

/** One line of the live view: what the chart and the status line show. */
export type TrainingUpdate =
  | { kind: 'step'; runId: string; step: number; trainLoss: number; eventsPerSecond: number; etaSeconds: number; budgetSeconds: number; learningRate: number }
  | { kind: 'validation'; runId: string; step: number; validationLoss: number; validationAccuracy: number; best: boolean }
  | { kind: 'log'; runId: string; line: string }
  | { kind: 'state'; status: TrainingStatus };

export interface TrainingStatus {
  /** `finished`: idle after a run that published, with `runId`, `promoted` and `reason` of that run. */
  state: 'idle' | 'running' | 'stopping' | 'finished';
  runId?: string;
  minutes?: number;
  promoted?: boolean;
  reason?: string;
  /** The outcome of the newest run that is not running. */
  last?: TrainingRecord;
}

export class TrainingBusyError extends Error {
  override name = 'TrainingBusyError';
}

export const trainingRecordKey = 'local/training.json';

/** Updates kept for a viewer that connects mid-run (a few hours of steps at 10-step granularity fits). */
const historyLimit = 5000;

/**
 * Starts training the way the cloud does: a "train requested" message on the server's queue, served by the cloud
 * trainer's loop ({@link runTrainer}) in a worker thread, which fans its progress out to listeners here. A run stopped
 * by the user or by shutdown leaves a checkpoint; the next `start` continues the same run from it, with the budget
 * asked then.
 *
 * @example
 * const training = new TrainingSupervisor(store, queue, bucketDir, 'performance', {});
 * training.subscribe((update) => console.log(update));
 * await training.start({ minutes: 5 });
 */
export class TrainingSupervisor {
  private worker: Worker | undefined;
  private status: TrainingStatus = { state: 'idle' };
  private finished: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(update: TrainingUpdate) => void>();
  private history: TrainingUpdate[] = [];

  constructor(
    private readonly store: Store,
    private readonly queue: Queue,
    private readonly bucketDir: string,
    private readonly tokenizer: TokenizerName,
    private readonly overrides: TrainOverrides,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Reads the newest run's record; resumes it when a shutdown or crash interrupted it. */
  async restore(): Promise<void> {
    const record = await getJson<TrainingRecord>(this.store, trainingRecordKey);
    if (!record) return;
    this.status = statusAfter(record);
    if (record.state === 'running' || record.state === 'interrupted') {
      this.log(`resuming training run ${record.runId} from its checkpoint`);
      await this.start({ minutes: record.minutes, ...(record.fromScratch ? { fromScratch: true } : {}) });
    }
  }

  getStatus(): TrainingStatus {
    return structuredClone(this.status);
  }

  /** Every update of the current (or newest) run so far, then each new one until the returned function is called. */
  subscribe(listener: (update: TrainingUpdate) => void): () => void {
    for (const update of this.history) listener(update);
    listener({ kind: 'state', status: this.getStatus() });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queues a train request and starts the trainer's worker; resolves once the worker has named the run (its id follows
   * from the data and settings, as in the cloud; a staged run for them is continued). Throws TrainingBusyError while
   * one runs.
   */
  async start(request: TrainingStart): Promise<TrainingStatus> {
    if (this.worker) throw new TrainingBusyError(`training run ${this.status.runId ?? ''} is already ${this.status.state}`);
    const { minutes } = request;
    const fromScratch = request.fromScratch === true;
    await this.requestTraining(request);
    const channel = new MessageChannel();
    serveQueue(channel.port1, this.queue);
    const setup: TrainingWorkerSetup = { bucketDir: this.bucketDir, queuePort: channel.port2, minutes, overrides: this.overrides };
    const worker = new Worker(tsxWorkerUrl(new URL('./training-worker.ts', import.meta.url)), { workerData: setup, transferList: [channel.port2] });
    this.worker = worker;
    this.history = [];
    const last = this.status.last;
    this.status = { state: 'running', minutes, ...(last ? { last } : {}) };
    let runId: string | undefined;
    let recorded: Promise<void> = Promise.resolve();
    let result: TrainerRun | undefined;
    let failure: string | undefined;
    let named = () => {};
    const runNamed = new Promise<void>((resolve) => (named = resolve));
    worker.on('message', (message: TrainingWorkerMessage) => {
      if (message.kind === 'run') {
        runId = message.runId;
        recorded = putJson(this.store, trainingRecordKey, { schemaVersion: 1, runId, minutes, fromScratch, state: 'running' } satisfies TrainingRecord);
        this.status = { ...this.status, runId };
        this.log(`training run ${runId} started (${minutes} min in all${fromScratch ? ', from scratch' : ''})`);
        named();
      } else if (message.kind === 'finished') {
        result = message.run;
      } else if (message.kind === 'failed') {
        failure = message.message;
      } else {
        if (message.kind === 'log') this.log(`${runId}: ${message.line}`);
        this.emit(toUpdate(runId ?? '', message));
      }
    });
    worker.on('error', (error) => {
      failure = error.message;
    });
    this.finished = new Promise((resolve) => {
      worker.once('exit', async () => {
        this.worker = undefined;
        channel.port1.close();
        const outcome = outcomeRecord(runId ?? '', { minutes, fromScratch }, result, failure, this.shuttingDown);
        // A worker that failed before naming its run leaves the stored record as it was.
        if (runId) await recorded.then(() => putJson(this.store, trainingRecordKey, outcome)).catch(() => {});
        this.status = statusAfter(outcome);
        this.log(`training run ${runId ?? '(unnamed)'}: ${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ''}${outcome.message ? ` (${outcome.message})` : ''}`);
        this.emit({ kind: 'state', status: this.getStatus() });
        named();
        resolve();
      });
    });
    await runNamed;
    await recorded.catch(() => {});
    if (this.worker) this.emit({ kind: 'state', status: this.getStatus() });
    return this.getStatus();
  }

  /**
   * The one request this start serves: requests left waiting (uploads send one each, a stopped run's come back) are
   * dropped first, so the run trains for the minutes asked now, not for an older request's.
   */
  private async requestTraining(request: TrainingStart): Promise<void> {
    for (;;) {
      const waiting = await this.queue.receive({ maxMessages: 10, waitSeconds: 0 });
      if (waiting.length === 0) break;
      await Promise.all(waiting.map((message) => this.queue.ack(message)));
    }
    const body: TrainRequest = {
      schemaVersion: 1,
      requestedAt: new Date().toISOString(),
      reason: 'training started on the local server',
      tokenizer: this.tokenizer,
      minutes: request.minutes,
      ...(request.fromScratch ? { fromScratch: true } : {}),
    };
    await this.queue.send(JSON.stringify(body));
  }

  /** Asks the running worker to checkpoint and stop; resolves once it has exited (at once when idle). */
  async stop(): Promise<TrainingStatus> {
    if (this.worker && this.status.state === 'running') {
      this.status = { ...this.status, state: 'stopping' };
      this.emit({ kind: 'state', status: this.getStatus() });
      this.worker.postMessage(stopMessage);
    }
    await this.finished;
    return this.getStatus();
  }

  /** Shutdown: like stop, but the run is marked interrupted so the next server start resumes it. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.stop();
    this.listeners.clear();
  }

  private shuttingDown = false;

  private emit(update: TrainingUpdate): void {
    if (update.kind !== 'state') {
      this.history.push(update);
      if (this.history.length > historyLimit) this.history.splice(0, this.history.length - historyLimit);
    }
    for (const listener of this.listeners) listener(update);
  }
}

function toUpdate(runId: string, message: Extract<TrainingWorkerMessage, { kind: 'log' | 'progress' }>): TrainingUpdate {
  if (message.kind === 'log') return { kind: 'log', runId, line: message.line };
  const event: TrainProgressEvent = message.event;
  if (event.kind === 'validation') {
    return { kind: 'validation', runId, step: event.step, validationLoss: event.validationNll, validationAccuracy: event.validationAccuracy, best: event.best };
  }
  return {
    kind: 'step',
    runId,
    step: event.step,
    trainLoss: event.trainLoss,
    eventsPerSecond: event.eventsPerSecond,
    etaSeconds: Math.max(0, event.budgetSeconds - event.elapsedSeconds),
    budgetSeconds: event.budgetSeconds,
    learningRate: event.learningRate,
  };
}

/** How a run ended, as `local/training.json` keeps it. */
function outcomeRecord(
  runId: string,
  asked: { minutes: number; fromScratch: boolean },
  result: TrainerRun | undefined,
  failure: string | undefined,
  shuttingDown: boolean,
): TrainingRecord {
  const record = { schemaVersion: 1 as const, runId, minutes: asked.minutes, ...(asked.fromScratch ? { fromScratch: true } : {}) };
  if (failure !== undefined || result === undefined) return { ...record, state: 'failed', message: failure ?? 'the trainer exited without training' };
  switch (result.status) {
    case 'interrupted':
      return { ...record, state: shuttingDown ? 'interrupted' : 'stopped' };
    case 'published':
    case 'already-published':
      return { ...record, state: 'finished', promoted: result.promotion.promoted, reason: result.promotion.reason };
    case 'busy':
    case 'lease-lost':
      return { ...record, state: 'failed', message: result.message };
    case 'failed':
      return { ...record, state: 'failed', message: result.error };
  }
}

/** Idle again: `finished` with the run's promotion when it published, else `idle` with the record. */
function statusAfter(record: TrainingRecord): TrainingStatus {
  if (record.state !== 'finished') return { state: 'idle', last: record };
  return { state: 'finished', runId: record.runId, promoted: record.promoted ?? false, reason: record.reason ?? '', minutes: record.minutes, last: record };
}
