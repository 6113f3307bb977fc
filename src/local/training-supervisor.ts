import { Worker } from 'node:worker_threads';
import { tsxWorkerUrl } from '../model/engine/tsx-worker.js';
import type { TrainProgressEvent } from '../model/trainer.js';
import type { TrainDatasetOutcome } from '../pipeline/train-dataset.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup, type TrainOverrides } from './training-messages.js';

/** `local/training.json`: the newest run, so a restarted server resumes a run a shutdown interrupted. */
export interface TrainingRecord {
  schemaVersion: 1;
  runId: string;
  minutes: number;
  state: 'running' | 'interrupted' | 'stopped' | 'published' | 'failed';
  message?: string;
}

/** One line of the live view: what the chart and the status line show. */
export type TrainingUpdate =
  | { kind: 'step'; runId: string; step: number; trainLoss: number; eventsPerSecond: number; etaSeconds: number; learningRate: number }
  | { kind: 'validation'; runId: string; step: number; validationLoss: number; validationAccuracy: number; best: boolean }
  | { kind: 'log'; runId: string; line: string }
  | { kind: 'state'; status: TrainingStatus };

export interface TrainingStatus {
  state: 'idle' | 'running' | 'stopping';
  runId?: string;
  minutes?: number;
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
 * Runs at most one training run at a time in a worker thread and fans its progress out to listeners. A run stopped by
 * the user or by shutdown leaves a checkpoint; the next `start` continues the same run from it.
 *
 * @example
 * const training = new TrainingSupervisor(store, bucketDir, {});
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
    private readonly bucketDir: string,
    private readonly overrides: TrainOverrides,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Reads the newest run's record; resumes it when a shutdown or crash interrupted it. */
  async restore(): Promise<void> {
    const record = await getJson<TrainingRecord>(this.store, trainingRecordKey);
    if (!record) return;
    this.status = { state: 'idle', last: record };
    if (record.state === 'running' || record.state === 'interrupted') {
      this.log(`resuming training run ${record.runId} from its checkpoint`);
      await this.start({ minutes: record.minutes });
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
   * Starts a run in a worker and resolves once the worker has named it (its id follows from the data and settings, as
   * in the cloud). A run stopped before publishing continues with its own budget, so the same id finds its checkpoint.
   * Throws TrainingBusyError while one runs.
   */
  async start(request: { minutes: number }): Promise<TrainingStatus> {
    if (this.worker) throw new TrainingBusyError(`training run ${this.status.runId ?? ''} is already ${this.status.state}`);
    const last = this.status.last;
    const resumable = last && (last.state === 'stopped' || last.state === 'interrupted' || last.state === 'running');
    const minutes = resumable ? last.minutes : request.minutes;
    const setup: TrainingWorkerSetup = { bucketDir: this.bucketDir, minutes, overrides: this.overrides };
    const worker = new Worker(tsxWorkerUrl(new URL('./training-worker.ts', import.meta.url)), { workerData: setup });
    this.worker = worker;
    this.history = [];
    this.status = { state: 'running', minutes, ...(last ? { last } : {}) };
    let runId: string | undefined;
    let recorded: Promise<void> = Promise.resolve();
    let result: TrainDatasetOutcome | undefined;
    let failure: string | undefined;
    let named = () => {};
    const runNamed = new Promise<void>((resolve) => (named = resolve));
    worker.on('message', (message: TrainingWorkerMessage) => {
      if (message.kind === 'run') {
        runId = message.runId;
        recorded = putJson(this.store, trainingRecordKey, { schemaVersion: 1, runId, minutes, state: 'running' } satisfies TrainingRecord);
        this.status = { ...this.status, runId };
        this.log(`training run ${runId} started (${minutes} min${resumable ? ', resuming if its checkpoint is there' : ''})`);
        named();
      } else if (message.kind === 'finished') {
        result = message.outcome;
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
        const outcome = outcomeRecord(runId ?? '', minutes, result, failure, this.shuttingDown);
        // A worker that failed before naming its run leaves the stored record as it was.
        if (runId) await recorded.then(() => putJson(this.store, trainingRecordKey, outcome)).catch(() => {});
        this.status = { state: 'idle', last: outcome };
        this.log(`training run ${runId ?? '(unnamed)'}: ${outcome.state}${outcome.message ? ` (${outcome.message})` : ''}`);
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
    learningRate: event.learningRate,
  };
}

/** How a run ended, as `local/training.json` keeps it. */
function outcomeRecord(runId: string, minutes: number, result: TrainDatasetOutcome | undefined, failure: string | undefined, shuttingDown: boolean): TrainingRecord {
  const record = { schemaVersion: 1 as const, runId, minutes };
  if (failure !== undefined || result === undefined) return { ...record, state: 'failed', message: failure ?? 'the training worker exited without a result' };
  if (result.status === 'interrupted') return { ...record, state: shuttingDown ? 'interrupted' : 'stopped' };
  if (result.status === 'already-published') return { ...record, state: 'published', message: 'already published: this data and these settings were trained before' };
  return { ...record, state: 'published' };
}
