import type { Logger } from '@aws-lambda-powertools/logger';
import type { PreprocessHandler } from '../functions/preprocess/preprocess-handler.js';
import { encodeS3Key, type S3Event } from '../functions/preprocess/s3-event.js';
import { keys } from '../src/pipeline/keys.js';
import type { LocalS3 } from './local-s3.js';

/** Lambda retries a failed asynchronous invocation twice. */
const attempts = 3;

export interface UploadDelivery {
  /** Resolves once every event received so far has been handled. */
  settled(): Promise<void>;
}

/**
 * The bucket notification of the stack, locally: every object created under `uploads/` with a MIDI suffix becomes an
 * S3 event (keys URL-encoded as S3 sends them) for the preprocess handler, one invocation at a time; a failing
 * invocation is retried like Lambda's asynchronous retries. Records keep s3rver's `eTag`, which is how the handler
 * tells an upload's versions apart; they carry no `versionId`, as S3 sends none for an unversioned bucket (s3rver has
 * no versioning).
 *
 * @example
 * const delivery = deliverUploads(s3, bucketName, createPreprocessHandler({ store, queue, ...settings, log }), log);
 */
export function deliverUploads(s3: LocalS3, bucket: string, handler: PreprocessHandler, log: Logger): UploadDelivery {
  let chain = Promise.resolve();
  s3.onEvent((event) => {
    const records = event.Records.filter((record) => isUpload(record, bucket));
    if (records.length === 0) return;
    const notification: S3Event = { Records: records.map((record) => ({ ...record, s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3Key(record.s3.object.key) } } })) };
    chain = chain.then(() => invoke(handler, notification, log));
  });
  return { settled: () => chain };
}

function isUpload(record: S3Event['Records'][number], bucket: string): boolean {
  const key = record.s3.object.key;
  return (
    record.eventName.startsWith('ObjectCreated:') &&
    record.s3.bucket.name === bucket &&
    key.startsWith(keys.uploadsPrefix) &&
    keys.uploadSuffixes.some((suffix) => key.endsWith(suffix))
  );
}

async function invoke(handler: PreprocessHandler, event: S3Event, log: Logger): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      // The handler logs each outcome itself, as in Lambda.
      await handler(event, { awsRequestId: `emulated-${Date.now().toString(36)}`, functionName: 'rubato-preprocess' });
      return;
    } catch (error) {
      log.error('preprocess invocation failed', { attempt, of: attempts, error });
    }
  }
}
