import type { Logger } from '@aws-lambda-powertools/logger';
import { runTrainer, type RunTrainerOptions } from '../src/pipeline/train-run.js';

/** Seconds a long poll may block: also how long a stop may wait for the trainer to notice. */
const pollSeconds = 1;

/**
 * The Fargate service of the stack, locally: the trainer's queue loop, started again whenever it exits idle (as the
 * service scales from zero when requests arrive), until `signal` stops it — after checkpointing a running run.
 *
 * @example
 * const stopped = runTrainerService({ store, queue, ...trainerSettings(env), signal, log });
 */
export async function runTrainerService(options: RunTrainerOptions & { signal: AbortSignal; log: Logger }): Promise<void> {
  while (!options.signal.aborted) {
    try {
      const exit = await runTrainer({ waitSeconds: pollSeconds, ...options });
      // Nested, not spread: a busy run's `message` would land on the logger's own key and be dropped.
      for (const run of exit.runs) options.log.info('trainer run', { run });
    } catch (error) {
      // A task that crashed is replaced by the service; here the loop starts it again after a pause.
      options.log.error('trainer crashed; restarting', { error });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
