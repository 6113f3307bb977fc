import type { PipelineLog } from '../../src/log/log.js';

/** The parts of an S3 event notification the preprocess function reads. */
export interface S3Event {
  Records: Array<{
    eventName: string;
    /**
     * `versionId` is there when the bucket is versioned (the stack's is; the emulator's s3rver is not), `eTag` always
     * (without quotes): together they say which version of the key the event announces.
     */
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; versionId?: string } };
  }>;
}

/** One upload an event announces: its key, decoded, and which version of it. */
export interface AnnouncedUpload {
  key: string;
  versionId?: string;
  etag?: string;
}

/** Some records of an S3 event failed (a store or queue error, not a bad file): throwing makes Lambda retry the event. */
export class S3RecordsFailedError extends Error {
  override name = 'S3RecordsFailedError';
  constructor(readonly keys: string[], readonly causes: unknown[]) {
    super(`${keys.length} upload(s) could not be processed and will be retried: ${keys.join(', ')}`);
  }
}

/** Encodes a key the way S3 writes it into event notifications: URL-encoded, spaces as `+`, slashes kept. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** S3 URL-encodes object keys in events, with `+` for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Runs `processUpload` for every record of the event, one at a time, and only then throws {@link S3RecordsFailedError}
 * when some failed. S3 invokes asynchronously, with no partial-batch response: a throw retries the whole event, which
 * is harmless for the records that succeeded because processing a key again changes nothing.
 *
 * @example
 * await forEachUpload(event, ({ key, ...version }) => preprocessUpload(key, dependencies, {}, version), logger);
 */
export async function forEachUpload<T>(event: S3Event, processUpload: (upload: AnnouncedUpload) => Promise<T>, log: PipelineLog): Promise<T[]> {
  const results: T[] = [];
  const failedKeys: string[] = [];
  const causes: unknown[] = [];
  for (const record of event.Records ?? []) {
    const { key: encodedKey, eTag, versionId } = record.s3.object;
    const key = decodeS3Key(encodedKey);
    try {
      results.push(await processUpload({ key, ...(versionId !== undefined ? { versionId } : {}), ...(eTag !== undefined ? { etag: eTag } : {}) }));
    } catch (error) {
      log.error('upload failed, the event will be retried', { key, error });
      failedKeys.push(key);
      causes.push(error);
    }
  }
  if (failedKeys.length > 0) throw new S3RecordsFailedError(failedKeys, causes);
  return results;
}
