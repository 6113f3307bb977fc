import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { etagOf } from './etag.js';
import type { PutOptions, Store, StoredObject, VersionedObject } from './store.js';

export interface S3StoreOptions {
  bucket: string;
  /** Tests pass a client for a local server (s3rver) or one that `aws-sdk-client-mock` intercepts. */
  client?: S3Client;
}

/**
 * The bucket port over S3. A missing key reads as `undefined`; `ifAbsent` writes use `If-None-Match: *`, `ifMatch`
 * writes `If-Match: <etag>` (S3 conditional writes), and both resolve undefined when S3 answers 412 (the condition
 * failed) or 409 (a concurrent conditional write to the same key won); a write that lands resolves the ETag S3 gave it. Every other S3 error propagates, so a Lambda retries.
 *
 * @example
 * const store = new S3Store({ bucket: process.env.BUCKET_NAME! });
 * const bytes = await store.get('uploads/a.mid');
 */
export class S3Store implements Store {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.client = options.client ?? new S3Client({});
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.getVersioned(key))?.bytes;
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!answer.Body) throw new Error(`s3://${this.bucket}/${key}: GetObject answered without a body`);
      return { bytes: await answer.Body.transformToByteArray(), etag: answer.ETag ?? '' };
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | undefined> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const metadata = answer.Metadata && Object.keys(answer.Metadata).length > 0 ? { metadata: answer.Metadata } : {};
      return { key, size: answer.ContentLength ?? 0, lastModified: answer.LastModified ?? new Date(0), ...metadata };
    } catch (error) {
      if (hasStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<string | undefined> {
    try {
      const answer = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ...(options.contentType ? { ContentType: options.contentType } : {}),
          ...(options.ifAbsent ? { IfNoneMatch: '*' } : {}),
          ...(options.ifMatch !== undefined ? { IfMatch: options.ifMatch } : {}),
        }),
      );
      // S3 always answers with the ETag; a stub that leaves it out gets the one S3 would give these bytes.
      return answer?.ETag ?? etagOf(body);
    } catch (error) {
      const conditional = options.ifAbsent || options.ifMatch !== undefined;
      if (conditional && (hasStatus(error, 412) || hasStatus(error, 409))) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const objects: StoredObject[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(continuationToken ? { ContinuationToken: continuationToken } : {}) }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        objects.push({ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return objects;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/** S3 errors carry the HTTP status in `$metadata`; HeadObject's 404 has no error code to match on, only the status. */
function hasStatus(error: unknown, status: number): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === status;
}
