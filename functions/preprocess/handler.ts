import { createLogger } from '../../src/log/logger.js';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { createPreprocessHandler } from './preprocess-handler.js';
import { preprocessSettings } from './preprocess-settings.js';

/** S3 ObjectCreated on `uploads/` → dataset entries; adapters built once per container, reused by warm invocations. */
export const handler = createPreprocessHandler({
  store: new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') }),
  queue: new SqsQueue({ queueUrl: requiredText(process.env, 'QUEUE_URL') }),
  ...preprocessSettings(process.env),
  log: createLogger('rubato-preprocess', process.env.LOG_LEVEL),
});
