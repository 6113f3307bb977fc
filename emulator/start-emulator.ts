import type { Logger } from '@aws-lambda-powertools/logger';
import { createLogger } from '../src/log/logger.js';
import { committedModelsDir } from '../src/model/committed-models.js';
import type { RunTrainerOptions } from '../src/pipeline/train-run.js';
import type { S3Store } from '../src/store/s3-store.js';
import { startBundledFunctions, type EmulatedFunctions } from './emulated-functions.js';
import { emulatorDefaults } from './emulator-defaults.js';
import { startHttpApi } from './http-api-server.js';
import { startLocalS3 } from './local-s3.js';
import { startLocalSqs } from './local-sqs.js';
import { sourceFunctions } from './source-functions.js';
import { deliverUploads } from './upload-events.js';

/** As deployed: a request that fails this many times moves to the dead-letter queue. */
const maxReceiveCount = 3;

export interface EmulatorOptions {
  /** 0 = any free port. */
  s3Port?: number;
  sqsPort?: number;
  apiPort?: number;
  /** s3rver's objects live under `<dataDir>/s3` and survive restarts; omitted, a temporary folder is used. */
  dataDir?: string;
  /** The functions' and trainer's settings (TOKENIZER, TRAIN_MINUTES, BATCH_SIZE, LOG_LEVEL…), as the stack sets them. */
  environment?: Record<string, string | undefined>;
  /** Replaces trainer settings beyond what the environment can say (tests shrink the network); source mode only. */
  training?: Partial<RunTrainerOptions>;
  /** Source mode: the shipped models published at start, laid out as the repository's `models/` (the default). */
  shippedModelsDir?: string;
  /**
   * A `cdk synth` output folder: run its function bundles (each in its own process, outside the repository), the
   * trainer as the image's command and the shipped models through the deploy step's bundle, instead of the sources.
   */
  bundles?: string;
  /** Log level for every emulated function (default: LOG_LEVEL from `environment`, else INFO). */
  logLevel?: string;
}

export interface Emulator {
  s3Endpoint: string;
  sqsEndpoint: string;
  apiUrl: string;
  bucket: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  store: S3Store;
  /** Each bundled function's cold start (process start to handler loaded); empty when run from source. */
  coldStarts: EmulatedFunctions['coldStarts'];
  /** Resolves once every upload event so far has been preprocessed. */
  uploadsSettled(): Promise<void>;
  /** Stops the trainer (a running run checkpoints), then the API and both servers. */
  close(): Promise<void>;
}

/**
 * The AWS stack on this machine: s3rver and fauxqs on 127.0.0.1, the bucket and the queue with its dead-letter
 * queue, the shipped models published (as a deploy does), S3 upload events delivered to the preprocess handler, the
 * trainer's queue loop, and the generate handler behind an HTTP API stand-in — the functions' own code from the
 * sources, or with `bundles` the very bundles `cdk synth` wrote.
 *
 * @example
 * const emulator = await startEmulator({ dataDir: '.rubato-emulate' });
 * console.log(emulator.apiUrl);
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const environment = options.environment ?? {};
  const level = options.logLevel ?? environment.LOG_LEVEL;
  const logger = (service: string): Logger => createLogger(service, level);
  const [s3, sqs] = await Promise.all([
    startLocalS3({ port: options.s3Port ?? 0, ...(options.dataDir !== undefined ? { directory: `${options.dataDir}/s3` } : {}) }),
    startLocalSqs({ port: options.sqsPort ?? 0 }),
  ]);
  const stops: Array<() => Promise<void>> = [() => s3.stop(), () => sqs.stop()];
  try {
    const store = await s3.bucket(emulatorDefaults.bucket);
    const { queue, queueUrl, deadLetterUrl } = await sqs.queueWithDeadLetters(emulatorDefaults.queue, maxReceiveCount);
    const functions: EmulatedFunctions = options.bundles
      ? await startBundledFunctions({
          cdkOut: options.bundles,
          s3,
          bucket: emulatorDefaults.bucket,
          queueUrl,
          queueName: emulatorDefaults.queue,
          environment: definedOnly({ ...environment, ...(level ? { LOG_LEVEL: level } : {}) }),
          log: logger('rubato-emulate'),
        })
      : sourceFunctions({ store, queue, shippedModelsDir: options.shippedModelsDir ?? committedModelsDir, environment, ...(options.training ? { training: options.training } : {}), logger });
    stops.unshift(() => functions.close());
    await functions.publishShipped();
    const delivery = deliverUploads(s3, emulatorDefaults.bucket, functions.preprocess, logger('rubato-preprocess'));
    const api = await startHttpApi(functions.generate, { port: options.apiPort ?? 0 });
    stops.unshift(() => api.close());
    const stopTrainer = new AbortController();
    const trainer = functions.runTrainer(stopTrainer.signal);
    stops.unshift(async () => {
      stopTrainer.abort();
      await trainer;
    });
    return {
      s3Endpoint: s3.endpoint,
      sqsEndpoint: sqs.endpoint,
      apiUrl: api.url,
      bucket: emulatorDefaults.bucket,
      queueUrl,
      deadLetterQueueUrl: deadLetterUrl,
      store,
      coldStarts: functions.coldStarts,
      uploadsSettled: () => delivery.settled(),
      close: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

/** The variables that have a value: a process environment holds `undefined` for none. */
function definedOnly(environment: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function stopAll(stops: Array<() => Promise<void>>): Promise<void> {
  for (const stop of stops) await stop();
}
