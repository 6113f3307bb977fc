import type { Queue } from '../queue/queue.js';
import { getJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import type { TrainOverrides } from './training-messages.js';
import { trainingRecordKey, trainingRecordSchema } from './training-record.js';
import { TrainingRun, type TrainingRunContext, type TrainingStart } from './training-run.js';
import { isActive, nextStatus, type TrainingEvent, type TrainingStatus } from './training-status.js';
import type { TrainingUpdate } from './training-updates.js';

export type { TrainingStart } from './training-run.js';
export type { TrainingStatus } from './training-status.js';
export type { TrainingUpdate } from './training-updates.js';

/** Why a start was refused: a run is starting or running here, or another trainer holds the bucket's lease. */
export class TrainingBusyError extends Error {
  override name = 'TrainingBusyError';
  constructor(
    readonly code: 'training-starting' | 'training-running' | 'trainer-lease-held',
    message: string,
    /** When a new start has a fair chance (the lease's holder should be done by then). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Updates kept for a viewer that connects mid-run (a few hours of steps at 10-step granularity fits). */
const historyLimit = 5000;

/**
 * Starts training the way the cloud does (one {@link TrainingRun} per start: a queued request served by the cloud
 * trainer's loop in a worker thread) and fans its progress out to listeners. Its status changes only through
 * {@link nextStatus}, and is `starting` before anything is awaited, so a second start while one is under way is refused.
 * A run stopped by the user or by shutdown leaves a checkpoint; the next `start` continues the same run from it, with
 * the budget asked then.
 *
 * @example
 * const training = new TrainingSupervisor(store, queue, bucketDir, 'performance', {});
 * training.subscribe((update) => console.log(update));
 * await training.start({ minutes: 5 });
 */
export class TrainingSupervisor {
  private run: TrainingRun | undefined;
  private status: TrainingStatus = { state: 'idle' };
  private readonly listeners = new Set<(update: TrainingUpdate) => void>();
  private history: TrainingUpdate[] = [];
  private shuttingDown = false;
  private readonly context: TrainingRunContext;

  constructor(store: Store, queue: Queue, bucketDir: string, tokenizer: TokenizerName, overrides: TrainOverrides, private readonly log: (line: string) => void = () => {}) {
    this.context = {
      store,
      queue,
      bucketDir,
      tokenizer,
      overrides,
      log,
      onEvent: (event) => this.apply(event),
      onUpdate: (update) => this.emit(update),
      shuttingDown: () => this.shuttingDown,
    };
  }

  /** Reads the newest run's record; resumes it when a shutdown or crash interrupted it. A damaged record counts as none. */
  async restore(): Promise<void> {
    const read = await getJson(this.context.store, trainingRecordKey, trainingRecordSchema);
    if (read.status === 'damaged') this.log(`warning: ${read.key} is damaged (${read.reason}); starting without the last run's record`);
    if (read.status !== 'valid') return;
    const record = read.value;
    this.apply({ kind: 'restored', record });
    if (record.state === 'running' || record.state === 'interrupted') {
      this.log(`resuming training run ${record.runId} from its checkpoint`);
      await this.start({ minutes: record.minutes, ...(record.fromScratch ? { fromScratch: true } : {}) }).catch((error: unknown) => {
        this.log(`training run ${record.runId} not resumed: ${error instanceof Error ? error.message : String(error)}`);
      });
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
   * from the data and settings, as in the cloud; a staged run for them is continued). Throws {@link TrainingBusyError}
   * while a run is starting or running, or when another trainer holds the bucket's lease (with when to retry).
   */
  async start(request: TrainingStart): Promise<TrainingStatus> {
    if (isActive(this.status)) {
      const { state, runId } = this.status;
      const code = state === 'starting' ? 'training-starting' : 'training-running';
      throw new TrainingBusyError(code, state === 'starting' ? 'a training run is starting' : `training run ${runId ?? ''} is ${state}`);
    }
    this.history = [];
    this.apply({ kind: 'requested', minutes: request.minutes });
    const run = new TrainingRun(this.context, request);
    this.run = run;
    void run.ended.then(() => {
      if (this.run === run) this.run = undefined;
    });
    const started = await run.started;
    if (started.kind === 'ended' && started.busy) {
      throw new TrainingBusyError('trainer-lease-held', started.busy.message, started.busy.retryAfterSeconds);
    }
    return this.getStatus();
  }

  /** Asks the run to checkpoint and stop (a run still starting too); resolves once its worker has exited (at once when idle). */
  async stop(): Promise<TrainingStatus> {
    const run = this.run;
    if (run && (this.status.state === 'starting' || this.status.state === 'running')) {
      this.apply({ kind: 'stop-asked' });
      run.stop();
    }
    await run?.ended;
    return this.getStatus();
  }

  /** Shutdown: like stop, but the run is marked interrupted so the next server start resumes it. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.stop();
    this.listeners.clear();
  }

  private apply(event: TrainingEvent): void {
    const before = this.status;
    this.status = nextStatus(before, event);
    if (this.status !== before) this.emit({ kind: 'state', status: this.getStatus() });
  }

  private emit(update: TrainingUpdate): void {
    if (update.kind !== 'state') {
      this.history.push(update);
      if (this.history.length > historyLimit) this.history.splice(0, this.history.length - historyLimit);
    }
    for (const listener of this.listeners) listener(update);
  }
}
