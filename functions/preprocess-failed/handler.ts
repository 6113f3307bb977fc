import { createLogger } from '../../src/log/logger.js';
import { recordPreprocessFailure } from '../../src/pipeline/record-preprocess-failure.js';
import { S3Store } from '../../src/store/s3-store.js';
import { requiredText } from '../environment.js';
import { forEachUpload } from '../preprocess/s3-event.js';
import { failureReason, type AsyncFailureRecord } from './failure-event.js';

const store = new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') });
const log = createLogger('rubato-preprocess-failed', process.env.LOG_LEVEL);

/** The preprocess function's on-failure destination: each upload of the abandoned event gets `rejected/<key>.json`. */
export const handler = async (record: AsyncFailureRecord) =>
  forEachUpload(record.requestPayload, ({ key }) => recordPreprocessFailure(store, key, failureReason(record), log), log);
