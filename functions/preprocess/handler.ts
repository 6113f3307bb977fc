import { createLogger } from '../../src/log/logger.js';
import type { PreprocessOutcome } from '../../src/pipeline/contracts.js';
import { preprocessUpload, type PreprocessDependencies } from '../../src/pipeline/preprocess-upload.js';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';
import { getTokenizer, isTokenizerName } from '../../src/tokens/index.js';
import { ConfigurationError, positiveNumber, requiredText } from '../environment.js';
import { forEachUpload, type S3Event } from './s3-event.js';

/** The parts of the Lambda context used here. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
}

const tokenizerName = process.env.TOKENIZER ?? 'performance';
if (!isTokenizerName(tokenizerName)) throw new ConfigurationError(`TOKENIZER must be performance or notes-chords, not "${tokenizerName}"`);

// Built once per container; warm invocations reuse the clients.
const logger = createLogger('rubato-preprocess', process.env.LOG_LEVEL);
const dependencies: PreprocessDependencies = {
  store: new S3Store({ bucket: requiredText(process.env, 'BUCKET_NAME') }),
  queue: new SqsQueue({ queueUrl: requiredText(process.env, 'QUEUE_URL') }),
  tokenizer: getTokenizer(tokenizerName),
  maxBytes: positiveNumber(process.env, 'MAX_UPLOAD_BYTES', 5 * 1024 * 1024),
  log: logger,
};

/** S3 ObjectCreated on `uploads/` → one dataset entry (or rejection record) per record; a bad file never fails the event. */
export const handler = async (event: S3Event, context: LambdaContext): Promise<PreprocessOutcome[]> => {
  logger.addContext(context as Parameters<typeof logger.addContext>[0]);
  return forEachUpload(event, (key) => preprocessUpload(key, dependencies), logger);
};
