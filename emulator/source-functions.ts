import type { Logger } from '@aws-lambda-powertools/logger';
import { createGenerateHandler } from '../functions/generate/generate-handler.js';
import { createPreprocessHandler } from '../functions/preprocess/preprocess-handler.js';
import { preprocessSettings } from '../functions/preprocess/preprocess-settings.js';
import { trainerSettings } from '../functions/trainer/trainer-settings.js';
import { committedShipment } from '../src/model/committed-models.js';
import type { RunTrainerOptions } from '../src/pipeline/train-run.js';
import { publishShippedModels } from '../src/pipeline/shipped-models.js';
import type { SqsQueue } from '../src/queue/sqs-queue.js';
import type { S3Store } from '../src/store/s3-store.js';
import type { EmulatedFunctions } from './emulated-functions.js';
import { runTrainerService } from './trainer-service.js';

export interface SourceFunctionsOptions {
  store: S3Store;
  queue: SqsQueue;
  /** Laid out as the repository's `models/`. */
  shippedModelsDir: string;
  environment: Record<string, string | undefined>;
  training?: Partial<RunTrainerOptions>;
  logger(service: string): Logger;
}

/**
 * The stack's entry points in this process, from the sources: the functions' own factories over SDK clients pointed
 * at the local servers, the trainer's queue loop, and the shipped models published by the pipeline's use case.
 *
 * @example
 * const functions = sourceFunctions({ store, queue, shippedModelsDir: 'models', environment: process.env, logger });
 */
export function sourceFunctions(options: SourceFunctionsOptions): EmulatedFunctions {
  const { store, queue, environment, logger } = options;
  return {
    preprocess: createPreprocessHandler({ store, queue, ...preprocessSettings(environment), log: logger('rubato-preprocess') }),
    generate: createGenerateHandler({ store, log: logger('rubato-generate') }),
    publishShipped: async () => {
      await publishShippedModels(store, committedShipment(options.shippedModelsDir), logger('rubato-publish-shipped'));
    },
    runTrainer: (signal) =>
      runTrainerService({ store, queue, ...trainerSettings(environment), ...options.training, signal, log: logger('rubato-trainer') }),
    coldStarts: {},
    close: async () => {},
  };
}
