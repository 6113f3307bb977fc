import { MessageChannel, Worker } from 'node:worker_threads';
import { tsxWorkerUrl } from '../model/engine/tsx-worker.js';
import type { TrainRequest } from '../pipeline/contracts.js';
import type { TrainerRun } from '../pipeline/train-run.js';
import { serveQueue } from '../queue/port-queue.js';
import type { Queue } from '../queue/queue.js';
import { putJson } from '../store/json.js';
import type { Store } from '../store/store.js';
import type { TokenizerName } from '../tokens/tokenizer.js';
import { stopMessage, type TrainingWorkerMessage, type TrainingWorkerSetup, type TrainOverrides } from './training-messages.js';
import { trainingRecordKey, type TrainingRecord } from './training-record.js';
import type { TrainingEvent } from './training-status.js';
import { toUpdate, type TrainingUpdate } from './training-updates.js';

/** What a user asks for: the run's whole budget, and whether to ignore the published models' weights. */
export interface TrainingStart {
  minutes: number;
  fromScratch?: boolean;
}

/** What every run of one server shares. */
export interface TrainingRunContext {
  store: Store;
  queue: Queue;
  bucketDir: string;
  tokenizer: TokenizerName;
  overrides: TrainOverrides;
  log(line: string): void;
  /** Each change of the run's state, for the supervisor's {@link nextStatus}. */
  onEvent(event: TrainingEvent): void;
  onUpdate(update: TrainingUpdate): void;
  /** Whether the server is shutting down: a run stopped then is `interrupted` (resumed at the next start), not `stopped`. */
  shuttingDown(): boolean;
}

/** How a start went: the run is named and trains, or it ended first (`busy`: another trainer holds the lease). */
export type RunStart = { kind: 'named'; runId: string } | { kind: 'ended'; busy?: { message: string; retryAfterSeconds: number } };

/**
 * One start of the local trainer: a "train requested" message on the server's queue, then the cloud trainer's loop
 * ({@link runTrainer}) in a worker thread for one run. Everything about that run (its worker, its id, how it ended)
 * lives here and nowhere else, so a second start cannot clear or redirect it.
 */
export class TrainingRun {
  /** Resolves once the worker has named the run, or once it ended without one. */
  readonly started: Promise<RunStart>;
  /** Resolves once the worker has exited and the outcome is recorded. */
  readonly ended: Promise<void>;
  private worker: Worker | undefined;
  private stopAsked = false;

  constructor(
    private readonly context: TrainingRunContext,
    private readonly request: TrainingStart,
  ) {
    let settleStart: (start: RunStart) => void = () => {};
    this.started = new Promise((resolve) => (settleStart = resolve));
    this.ended = this.run(settleStart);
  }

  /** Asks the run to checkpoint and stop; a run still starting stops as soon as its worker is there (or never trains). */
  stop(): void {
    this.stopAsked = true;
    this.worker?.postMessage(stopMessage);
  }

  private async run(settleStart: (start: RunStart) => void): Promise<void> {
    const { context, request } = this;
    try {
      await requestTraining(context, request);
    } catch (error) {
      context.log(`training could not be requested: ${error instanceof Error ? error.message : String(error)}`);
      context.onEvent({ kind: 'ended' });
      settleStart({ kind: 'ended' });
      return;
    }
    if (this.stopAsked) {
      context.onEvent({ kind: 'ended' });
      settleStart({ kind: 'ended' });
      return;
    }
    const outcome = await this.runWorker((runId) => settleStart({ kind: 'named', runId }));
    settleStart(outcome.result?.status === 'busy' ? { kind: 'ended', busy: outcome.result } : { kind: 'ended' });
  }

  /** Starts the worker and follows it until it exits; records the run as it is named and as it ends. */
  private runWorker(named: (runId: string) => void): Promise<{ result: TrainerRun | undefined }> {
    const { context, request } = this;
    const { minutes } = request;
    const fromScratch = request.fromScratch === true;
    const channel = new MessageChannel();
    serveQueue(channel.port1, context.queue);
    const setup: TrainingWorkerSetup = { bucketDir: context.bucketDir, queuePort: channel.port2, minutes, overrides: context.overrides };
    const worker = new Worker(tsxWorkerUrl(new URL('./training-worker.ts', import.meta.url)), { workerData: setup, transferList: [channel.port2] });
    this.worker = worker;
    let runId: string | undefined;
    let recorded: Promise<void> = Promise.resolve();
    let result: TrainerRun | undefined;
    let failure: string | undefined;
    worker.on('message', (message: TrainingWorkerMessage) => {
      if (message.kind === 'run') {
        runId = message.runId;
        recorded = putJson(context.store, trainingRecordKey, { schemaVersion: 1, runId, minutes, fromScratch, state: 'running' } satisfies TrainingRecord);
        context.log(`training run ${runId} started (${minutes} min in all${fromScratch ? ', from scratch' : ''})`);
        context.onEvent({ kind: 'named', runId });
        recorded.catch(() => {}).then(() => named(runId!));
      } else if (message.kind === 'finished') {
        result = message.run;
      } else if (message.kind === 'failed') {
        failure = message.message;
      } else {
        // Lines before the run is named (the queue, the lease) are the trainer's, not a run's.
        if (message.kind === 'log') context.log(`${runId ?? 'trainer'}: ${message.line}`);
        context.onUpdate(toUpdate(runId ?? '', message));
      }
    });
    worker.on('error', (error) => {
      failure = error.message;
    });
    return new Promise((resolve) => {
      worker.once('exit', async () => {
        channel.port1.close();
        const outcome = runId === undefined && isQuiet(result, failure) ? undefined : outcomeRecord(runId ?? '', { minutes, fromScratch }, result, failure, context.shuttingDown());
        // A worker that failed before naming its run leaves the stored record as it was.
        if (runId && outcome) await recorded.then(() => putJson(context.store, trainingRecordKey, outcome)).catch(() => {});
        context.log(`training run ${runId ?? '(unnamed)'}: ${describe(outcome, result)}`);
        context.onEvent({ kind: 'ended', ...(outcome ? { record: outcome } : {}) });
        resolve({ result });
      });
    });
  }
}

/**
 * The one request this start serves: requests left waiting (uploads send one each, a stopped run's come back) are
 * dropped first, so the run trains for the minutes asked now, not for an older request's.
 */
async function requestTraining(context: TrainingRunContext, request: TrainingStart): Promise<void> {
  for (;;) {
    const waiting = await context.queue.receive({ maxMessages: 10, waitSeconds: 0 });
    if (waiting.length === 0) break;
    await Promise.all(waiting.map((message) => context.queue.ack(message)));
  }
  const body: TrainRequest = {
    schemaVersion: 1,
    requestedAt: new Date().toISOString(),
    reason: 'training started on the local server',
    tokenizer: context.tokenizer,
    minutes: request.minutes,
    ...(request.fromScratch ? { fromScratch: true } : {}),
  };
  await context.queue.send(JSON.stringify(body));
}

/** A worker that never ran a run: another trainer held the lease, or a stop came before the request was served. */
function isQuiet(result: TrainerRun | undefined, failure: string | undefined): boolean {
  return failure === undefined && (result === undefined || result.status === 'busy');
}

function describe(outcome: TrainingRecord | undefined, result: TrainerRun | undefined): string {
  if (!outcome) return result?.status === 'busy' ? `not started (${result.message})` : 'not started';
  return `${outcome.state}${outcome.reason ? ` (${outcome.reason})` : ''}${outcome.message ? ` (${outcome.message})` : ''}`;
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
