import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3ServiceException,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import type { AwsStub } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** S3's ETag of a single-part object: its MD5 in quotes. */
export const etagOf = (bytes: Uint8Array): string => `"${createHash('md5').update(bytes).digest('hex')}"`;

/**
 * Answers a mocked S3Client's Head/Get/Put/List from `objects`, like one bucket: puts land in the map, so a test can
 * assert on both the commands sent and the bucket they leave behind. Gets carry the ETag, and conditional puts
 * (`If-None-Match: *`, `If-Match`) fail with 412 as S3 does. Register after `reset()`.
 *
 * @example
 * const s3 = mockClient(S3Client);
 * const objects = mockBucket(s3, { 'uploads/a.mid': bytes });
 */
export function mockBucket(s3: AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>, initial: Record<string, Uint8Array> = {}): Map<string, Uint8Array> {
  const objects = new Map(Object.entries(initial));
  const notFound = () => new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
  s3.on(HeadObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const bytes = objects.get(Key);
    if (!bytes) throw notFound();
    return { ContentLength: bytes.length, LastModified: new Date(0) };
  });
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const bytes = objects.get(Key);
    if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return { Body: sdkStreamMixin(Readable.from([bytes])), ContentLength: bytes.length, ETag: etagOf(bytes) };
  });
  s3.on(PutObjectCommand).callsFake(({ Key, Body, IfNoneMatch, IfMatch }: { Key: string; Body: Uint8Array; IfNoneMatch?: string; IfMatch?: string }) => {
    const current = objects.get(Key);
    if ((IfNoneMatch === '*' && current) || (IfMatch !== undefined && (!current || etagOf(current) !== IfMatch))) {
      throw new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 }, message: 'At least one of the pre-conditions you specified did not hold' });
    }
    objects.set(Key, Body);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(({ Prefix = '' }: { Prefix?: string }) => {
    const matching = [...objects.keys()].filter((key) => key.startsWith(Prefix)).sort();
    return { Contents: matching.map((key) => ({ Key: key, Size: objects.get(key)!.length, LastModified: new Date(0) })), IsTruncated: false };
  });
  return objects;
}
