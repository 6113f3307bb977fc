import { Worker } from 'node:worker_threads';
import { tsxWorkerUrl } from '../model/engine/tsx-worker.js';
import type { TrainProgressEvent } from '../model/trainer.js';
import { getJson, putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup, type TrainOverrides } from './training-messages.js';

/** `local/training.json`: the newest run, so a restarted server resumes a run a shutdown interrupted. */
export interface TrainingRecord {
  schemaVersion: 1;
  runId: string;
  minutes: number;
  state: 'running' | 'interrupted' | 'stopped' | 'published' | 'finished' | 'failed';
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
   * Starts a run in a worker; continues the newest run when it was stopped before publishing. Throws
   * TrainingBusyError while one runs.
   */
  async start(request: { minutes: number }): Promise<TrainingStatus> {
    if (this.worker) throw new TrainingBusyError(`training run ${this.status.runId} is already ${this.status.state}`);
    const last = this.status.last;
    const resumable = last && (last.state === 'stopped' || last.state === 'interrupted' || last.state === 'running');
    const runId = resumable ? last.runId : newRunId();
    const record: TrainingRecord = { schemaVersion: 1, runId, minutes: request.minutes, state: 'running' };
    await putJson(this.store, trainingRecordKey, record);
    const setup: TrainingWorkerSetup = { bucketDir: this.bucketDir, runId, minutes: request.minutes, overrides: this.overrides };
    const worker = new Worker(tsxWorkerUrl(new URL('./training-worker.ts', import.meta.url)), { workerData: setup });
    this.worker = worker;
    this.history = [];
    this.status = { state: 'running', runId, minutes: request.minutes, ...(last ? { last } : {}) };
    this.emit({ kind: 'state', status: this.getStatus() });
    this.log(`training run ${runId} started (${request.minutes} min${resumable ? ', resuming' : ''})`);
    let outcome: TrainingRecord = { ...record, state: 'failed', message: 'the training worker exited without a result' };
    worker.on('message', (message: TrainingWorkerMessage) => {
      if (message.kind === 'finished') {
        const state = message.published ? 'published' : message.stoppedBy === 'signal' ? (this.shuttingDown ? 'interrupted' : 'stopped') : 'finished';
        outcome = { ...record, state };
      } else if (message.kind === 'failed') {
        outcome = { ...record, state: 'failed', message: message.message };
      } else {
        if (message.kind === 'log') this.log(`${runId}: ${message.line}`);
        this.emit(toUpdate(runId, message));
      }
    });
    worker.on('error', (error) => {
      outcome = { ...record, state: 'failed', message: error.message };
    });
    this.finished = new Promise((resolve) => {
      worker.once('exit', async () => {
        this.worker = undefined;
        await putJson(this.store, trainingRecordKey, outcome).catch(() => {});
        this.status = { state: 'idle', last: outcome };
        this.log(`training run ${runId}: ${outcome.state}${outcome.message ? ` (${outcome.message})` : ''}`);
        this.emit({ kind: 'state', status: this.getStatus() });
        resolve();
      });
    });
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

function toUpdate(runId: string, message: Exclude<TrainingWorkerMessage, { kind: 'finished' | 'failed' }>): TrainingUpdate {
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

/** Sortable, filesystem-safe run ids: `run-20250101T120000Z`. */
function newRunId(): string {
  return `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
