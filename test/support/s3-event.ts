import { encodeS3Key, type S3Event } from '../../functions/preprocess/s3-event.js';

/** One object an event announces: its key (decoded, as stored), or the key with the version S3 gave it. */
export type AnnouncedObject = string | { key: string; versionId?: string; eTag?: string };

/**
 * An S3 ObjectCreated:Put event with one record per object (keys given decoded, as stored).
 *
 * @example
 * const event = s3EventFactory('uploads/a b.mid', { key: 'uploads/é.mid', versionId: 'v2', eTag: 'd41d8cd98f00b204e9800998ecf8427e' });
 */
export function s3EventFactory(...objects: AnnouncedObject[]): S3Event {
  return {
    Records: objects.map((object) => {
      const { key, ...version } = typeof object === 'string' ? { key: object } : object;
      return { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'rubato-test-bucket' }, object: { key: encodeS3Key(key), size: 1, ...version } } };
    }),
  };
}
