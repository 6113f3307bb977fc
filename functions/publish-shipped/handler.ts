import { createLogger } from '../../src/log/logger.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { createPublishShippedHandler } from './publish-shipped-handler.js';

/** The deploy step's custom resource (CDK provider framework onEvent): the shipped models, from the asset bucket into the data bucket. */
export const handler = createPublishShippedHandler({
  store: new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') }),
  sourceStore: (bucket) => new S3Store({ bucket }),
  log: createLogger('rubato-publish-shipped', process.env.LOG_LEVEL),
});
