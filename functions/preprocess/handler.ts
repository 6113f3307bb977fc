import { createLogger } from '../../src/log/logger.js';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';
import { getTokenizer, isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, positiveNumber, requiredText } from '../environment.js';
import { createPreprocessHandler } from './preprocess-handler.js';

const tokenizerName = process.env.TOKENIZER ?? 'performance';
if (!isTokenizerName(tokenizerName)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizerName}"`);

/** S3 ObjectCreated on `uploads/` → dataset entries; adapters built once per container, reused by warm invocations. */
export const handler = createPreprocessHandler({
  store: new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') }),
  queue: new SqsQueue({ queueUrl: requiredText(process.env, 'QUEUE_URL') }),
  tokenizer: getTokenizer(tokenizerName),
  maxBytes: positiveNumber(process.env, 'MAX_UPLOAD_BYTES', 5 * 1024 * 1024),
  log: createLogger('rubato-preprocess', process.env.LOG_LEVEL),
});
