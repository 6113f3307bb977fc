import { encodeS3Key, type S3Event } from '../../functions/preprocess/s3-event.js';

/**
 * An S3 ObjectCreated:Put event with one record per key (keys given decoded, as stored).
 *
 * @example
 * const event = s3EventFactory('uploads/a b.mid', 'uploads/é.mid');
 */
export function s3EventFactory(...keys: string[]): S3Event {
  return {
    Records: keys.map((key) => ({
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'rubato-test-bucket' }, object: { key: encodeS3Key(key), size: 1 } },
    })),
  };
}
