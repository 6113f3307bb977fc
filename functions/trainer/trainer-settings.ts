import { defaultModelShape } from '../../src/model/config.js';
import type { EngineChoice } from '../../src/model/engine/select-engine.js';
import { resolveHyperparameters } from '../../src/model/hyperparameters.js';
import { defaultModelsKept } from '../../src/pipeline/prune-models.js';
import type { RunTrainerOptions } from '../../src/pipeline/train-run.js';
import { isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, optionalPositiveInteger, positiveNumber } from '../environment.js';

type Environment = Record<string, string | undefined>;

const engines: readonly EngineChoice[] = ['auto', 'tfjs-node', 'fast', 'tfjs'];

/**
 * The trainer's settings from its environment (the task definition's, or the emulator's): everything
 * {@link runTrainer} needs except the adapters, the stop signal and the logger.
 *
 * @example
 * const exit = await runTrainer({ store, queue, ...trainerSettings(process.env), signal, log });
 */
export function trainerSettings(environment: Environment): Omit<RunTrainerOptions, 'store' | 'queue' | 'signal' | 'log'> {
  const tokenizer = environment.TOKENIZER ?? 'performance';
  if (!isTokenizerName(tokenizer)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizer}"`);
  const engine = (environment.ENGINE ?? 'auto') as EngineChoice;
  if (!engines.includes(engine)) throw new ConfigurationError(`ENGINE must be one of ${engines.join(', ')}, not "${engine}"`);
  const { embeddingSize, units, layers } = defaultModelShape;
  return {
    tokenizer,
    shape: { embeddingSize, units, layers },
    // The stack sets BATCH_SIZE with the task size, so a bigger task gives every core a worthwhile share.
    hyperparameters: resolveHyperparameters({ batchSize: optionalPositiveInteger(environment, 'BATCH_SIZE') }),
    minutes: positiveNumber(environment, 'TRAIN_MINUTES', 30),
    engine,
    idleExitSeconds: positiveNumber(environment, 'IDLE_EXIT_SECONDS', 900),
    heartbeatSeconds: positiveNumber(environment, 'HEARTBEAT_SECONDS', 60),
    keepModels: positiveNumber(environment, 'KEEP_MODELS', defaultModelsKept),
  };
}
