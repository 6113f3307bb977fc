import type { S3Event } from '../../functions/preprocess/s3-event.js';

/** Encodes a key the way S3 writes it into event notifications: URL-encoded, spaces as `+`, slashes kept. */
export function s3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

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
      s3: { bucket: { name: 'rubato-test-bucket' }, object: { key: s3EventKey(key), size: 1 } },
    })),
  };
}
