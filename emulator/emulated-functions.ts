import type { Logger } from '@aws-lambda-powertools/logger';
import { readFileSync } from 'node:fs';
import type { DeployEvent } from '../functions/publish-shipped/deploy-event.js';
import type { DeployResponse } from '../functions/publish-shipped/publish-shipped-handler.js';
import type { GenerateHandler } from '../functions/generate/generate-handler.js';
import type { PreprocessHandler } from '../functions/preprocess/preprocess-handler.js';
import { startBundledFunction, type BundledFunction } from './bundled-function.js';
import { readCdkAssembly, resolveEnvironment } from './cdk-assembly.js';
import { localCredentials, localRegion } from './local-credentials.js';
import type { LocalS3 } from './local-s3.js';
import { runTrainerContainer } from './trainer-container.js';
import { prepareTrainerImage, type TrainerImage } from './trainer-image.js';

/** Where `cdk deploy` would have uploaded the file assets; s3rver holds a bucket of that role. */
export const emulatedAssetBucket = 'cdk-assets';

/** The stack's code as the emulator runs it: in this process from the sources, or from `cdk synth`'s bundles. */
export interface EmulatedFunctions {
  preprocess: PreprocessHandler;
  generate: GenerateHandler;
  /** The deploy step: publishes the shipped models into the bucket. */
  publishShipped(): Promise<void>;
  /** The trainer service until `signal` stops it. */
  runTrainer(signal: AbortSignal): Promise<void>;
  /** Each bundled function's cold start (process start to handler loaded), by name; empty when run from source. */
  coldStarts: Record<string, { coldStartMs: number; initMs: number }>;
  close(): Promise<void>;
}

export interface BundledStackOptions {
  cdkOut: string;
  s3: LocalS3;
  bucket: string;
  queueUrl: string;
  queueName: string;
  /**
   * Replaces values the template sets (LOG_LEVEL, TRAIN_MINUTES, IDLE_EXIT_SECONDS…); any other variable is left out,
   * so this process's environment (NODE_PATH, NODE_OPTIONS…) never reaches the deployed code.
   */
  environment: Record<string, string>;
  log: Logger;
}

/**
 * The functions `cdk synth` wrote into `cdk.out`, each in its own process outside the repository, with the
 * template's environment pointed at the emulated bucket and queue; the trainer as the image's command over its staged
 * build context (built as its Dockerfile builds it); the shipped
 * models published by the custom resource's own bundle, from its file assets uploaded as `cdk deploy` would.
 *
 * @example
 * const functions = await startBundledFunctions({ cdkOut: 'cdk.out', s3, bucket, queueUrl, queueName, environment: {}, log });
 */
export async function startBundledFunctions(options: BundledStackOptions): Promise<EmulatedFunctions> {
  const assembly = readCdkAssembly(options.cdkOut);
  const references = { BUCKET_NAME: options.bucket, QUEUE_URL: options.queueUrl, QUEUE_NAME: options.queueName };
  // What the SDK finds in a Lambda or a task, pointed at the local servers (s3rver predates the SDK's default checksums).
  // The SDK sends each SQS request to its queue URL's host: the same endpoint, so it has nothing to warn about.
  const awsEnvironment = {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_S3: options.s3.endpoint,
    AWS_ENDPOINT_URL_SQS: new URL(options.queueUrl).origin,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
  const environmentOf = (template: Parameters<typeof resolveEnvironment>[0]) => {
    const overrides = Object.entries(options.environment).filter(([name]) => name in template);
    return { ...resolveEnvironment(template, references), ...Object.fromEntries(overrides), ...awsEnvironment };
  };
  const started: BundledFunction[] = [];
  let image: TrainerImage | undefined;
  const start = async (name: keyof typeof assembly.functions, functionName: string) => {
    const { assetDir, environment } = assembly.functions[name];
    const bundled = await startBundledFunction({ functionName, assetDir, environment: environmentOf(environment) });
    started.push(bundled);
    return bundled;
  };
  try {
    const [preprocess, generate, publisher] = [
      await start('preprocess', 'rubato-preprocess'),
      await start('generate', 'rubato-generate'),
      await start('publishShipped', 'rubato-publish-shipped'),
    ];
    image = await prepareTrainerImage(assembly.trainerImage);
    const trainerImage = image;
    return {
      preprocess: (event, context) => preprocess.invoke(event, context),
      generate: (event, context) => generate.invoke(event, { awsRequestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() }),
      publishShipped: async () => {
        await uploadFileAssets(options.s3, assembly.fileAssets);
        const event: DeployEvent = { RequestType: 'Create', ResourceProperties: { ...assembly.shippedModels, SourceBucket: emulatedAssetBucket } };
        const response = await publisher.invoke<DeployResponse>(event, { remainingMs: 5 * 60_000 });
        options.log.info('shipped models published by the deploy step', { ...response.Data });
      },
      runTrainer: (signal) => runTrainerContainer({ image: trainerImage, environment: environmentOf(assembly.trainerEnvironment), signal, log: options.log }),
      coldStarts: Object.fromEntries(started.map(({ functionName, coldStartMs, initMs }) => [functionName, { coldStartMs, initMs }])),
      close: async () => {
        await Promise.all(started.map((bundled) => bundled.close()));
        trainerImage.remove();
      },
    };
  } catch (error) {
    await Promise.all(started.map((bundled) => bundled.close()));
    image?.remove();
    throw error;
  }
}

/**
 * `cdk deploy`'s asset upload: each file asset under its object key, unless it is there already. The key is the
 * file's content hash, so an object under it holds these bytes (`cdk deploy` skips it too): a restart of the emulator
 * over its kept data folder does not write the model weights again.
 */
async function uploadFileAssets(s3: LocalS3, fileAssets: Map<string, string>): Promise<void> {
  const assets = await s3.bucket(emulatedAssetBucket);
  for (const [key, path] of fileAssets) {
    if (!(await assets.head(key))) await assets.put(key, readFileSync(path));
  }
}
