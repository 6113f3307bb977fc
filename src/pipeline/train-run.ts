import { silentLog, type PipelineLog } from '../log/log.js';
import { TooLittleDataError } from '../model/training-data.js';
import type { Queue, QueueMessage } from '../queue/queue.js';
import { startHeartbeat } from './heartbeat.js';
import { trainDataset, type TrainDatasetOptions, type TrainDatasetOutcome } from './train-dataset.js';
import { coalesceRequests, parseTrainRequest } from './train-request.js';
import type { TrainRequest } from './contracts.js';

export interface RunTrainerOptions extends Omit<TrainDatasetOptions, 'signal' | 'log' | 'fromScratch'> {
  queue: Queue;
  /** Exit after this long without a message (the service scales to zero). */
  idleExitSeconds: number;
  /** How often the messages of a running run get their visibility extended. */
  heartbeatSeconds: number;
  /** Longest long poll (SQS allows 20 s). Default 20. */
  waitSeconds?: number;
  /** Before a failed request is offered again. Default 60 s. */
  retryDelaySeconds?: number;
  /** Exit after this many runs (the local server starts the loop for one run a user asked for). Default: no limit. */
  maxRuns?: number;
  /** SIGTERM: the run checkpoints, its messages return to the queue unacked, and the trainer exits. */
  signal?: AbortSignal;
  log?: PipelineLog;
}

export type TrainerRun = (TrainDatasetOutcome & { messages: number }) | { status: 'failed'; messages: number; error: string };

export interface TrainerExit {
  reason: 'idle' | 'signal' | 'max-runs';
  runs: TrainerRun[];
}

/** Messages stay hidden this many heartbeats, so a crashed trainer's request returns soon after it died. */
const heartbeatsPerVisibility = 3;
/** Pause after a failed receive. */
const receiveRetryMs = 1000;

/**
 * The trainer worker: long-polls the queue; on a request, takes every other pending request too (one run serves them
 * all), trains on the current dataset with the message visibility extended on a heartbeat, publishes, and acks them.
 * A failing request is released after `retryDelaySeconds` (the queue's redrive policy dead-letters it after 3 tries);
 * an interrupted run releases its requests at once, so the next trainer resumes from the checkpoint.
 *
 * @example
 * const exit = await runTrainer({ store, queue, tokenizer: 'performance', shape, hyperparameters, minutes: 30,
 *   engine: 'auto', idleExitSeconds: 900, heartbeatSeconds: 60, signal: controller.signal, log: logger });
 */
export async function runTrainer(options: RunTrainerOptions): Promise<TrainerExit> {
  const { queue, signal } = options;
  const log = options.log ?? silentLog;
  const visibilitySeconds = Math.ceil(options.heartbeatSeconds * heartbeatsPerVisibility);
  const runs: TrainerRun[] = [];
  let idleSince = Date.now();
  while (!signal?.aborted) {
    const idleLeft = options.idleExitSeconds - (Date.now() - idleSince) / 1000;
    if (idleLeft <= 0) {
      log.info('idle, exiting', { idleExitSeconds: options.idleExitSeconds });
      return { reason: 'idle', runs };
    }
    const waitSeconds = Math.max(0, Math.min(options.waitSeconds ?? 20, Math.ceil(idleLeft)));
    let received: QueueMessage[];
    try {
      received = await queue.receive({ maxMessages: 1, waitSeconds, visibilitySeconds, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) break;
      // A queue outage must not end the worker: it counts as idle time, and the next poll tries again.
      log.warn('receive failed; polling again shortly', { error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, receiveRetryMs));
      continue;
    }
    if (received.length === 0) continue;
    if (signal?.aborted) {
      await release(queue, received, 0, log);
      break;
    }
    const messages = [...received, ...(await drain(queue, visibilitySeconds))];
    const run = await serve(messages, options, visibilitySeconds, log);
    runs.push(run);
    if (run.status === 'interrupted') break;
    if (options.maxRuns !== undefined && runs.length >= options.maxRuns) return { reason: 'max-runs', runs };
    idleSince = Date.now();
  }
  log.info('stop signal, exiting', { runs: runs.length });
  return { reason: 'signal', runs };
}

/** Trains once for all `messages`, then acks or releases them. */
async function serve(messages: QueueMessage[], options: RunTrainerOptions, visibilitySeconds: number, log: PipelineLog): Promise<TrainerRun> {
  const { queue } = options;
  const requests: QueueMessage[] = [];
  const bodies: TrainRequest[] = [];
  for (const message of messages) {
    try {
      bodies.push(parseTrainRequest(message.body, options.tokenizer));
      requests.push(message);
    } catch (error) {
      log.error('bad train request', { messageId: message.id, receiveCount: message.receiveCount, error: String(error) });
      await release(queue, [message], options.retryDelaySeconds ?? 60, log);
    }
  }
  if (requests.length === 0) return { status: 'failed', messages: messages.length, error: 'no valid train request' };
  log.info('train requests', { count: requests.length, receiveCounts: requests.map((message) => message.receiveCount) });

  const stopHeartbeat = startHeartbeat(queue, requests, { everySeconds: options.heartbeatSeconds, visibilitySeconds, log });
  let outcome: TrainDatasetOutcome;
  try {
    outcome = await trainDataset({ ...options, ...coalesceRequests(bodies, options.minutes), log });
  } catch (error) {
    stopHeartbeat();
    if (error instanceof TooLittleDataError) {
      // The same data fails the same way on every try; the next accepted upload sends a new request.
      log.error('nothing to train on; the requests are dropped', { error: error.message });
      await Promise.all(requests.map((message) => queue.ack(message)));
      return { status: 'failed', messages: requests.length, error: String(error) };
    }
    log.error('training run failed; the requests will be retried', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    await release(queue, requests, options.retryDelaySeconds ?? 60, log);
    return { status: 'failed', messages: requests.length, error: String(error) };
  }
  stopHeartbeat();
  // Interrupted, or the lease lost to another trainer: the requests return at once, for whoever trains next.
  if (outcome.status === 'interrupted' || outcome.status === 'lease-lost') await release(queue, requests, 0, log);
  // Another trainer holds the bucket: offer the requests again once its run should be over.
  else if (outcome.status === 'busy') await release(queue, requests, outcome.retryAfterSeconds, log);
  else await Promise.all(requests.map((message) => queue.ack(message)));
  return { ...outcome, messages: requests.length };
}

/** Every request already waiting: one run on the current dataset serves them all. */
async function drain(queue: Queue, visibilitySeconds: number): Promise<QueueMessage[]> {
  const drained: QueueMessage[] = [];
  for (;;) {
    const batch = await queue.receive({ maxMessages: 10, waitSeconds: 0, visibilitySeconds });
    if (batch.length === 0) return drained;
    drained.push(...batch);
  }
}

/** Makes messages visible again after `delaySeconds` without acking them (each delivery counts toward the redrive). */
async function release(queue: Queue, messages: readonly QueueMessage[], delaySeconds: number, log: PipelineLog): Promise<void> {
  for (const message of messages) {
    await queue.extend(message, delaySeconds).catch((error: unknown) => {
      log.warn('could not release message; it returns when its visibility ends', { messageId: message.id, error: String(error) });
    });
  }
}
