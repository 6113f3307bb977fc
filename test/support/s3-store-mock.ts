import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  S3Client,
  type ListObjectsV2CommandInput,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import type { Store } from '../../src/store/store.js';

export type S3Mock = AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>;

/**
 * Mocks every S3Client so reads (GetObject, HeadObject, ListObjectsV2) are answered from `store`, live: a test can
 * publish a model by writing to the store. Missing keys fail the way S3 fails (NoSuchKey, NotFound, 404).
 *
 * @example
 * const s3 = mockS3ReadsFrom(temporaryStore());
 * s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key);
 */
export function mockS3ReadsFrom(store: Store): S3Mock {
  const s3 = mockClient(S3Client);
  s3.on(GetObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
    const bytes = await store.get(Key);
    if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
    return { Body: sdkStreamMixin(Readable.from([bytes])), ContentLength: bytes.length };
  });
  s3.on(HeadObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
    const object = await store.head(Key);
    if (!object) throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
    return { ContentLength: object.size, LastModified: object.lastModified };
  });
  s3.on(ListObjectsV2Command).callsFake(async ({ Prefix = '' }: ListObjectsV2CommandInput) => {
    const objects = await store.list(Prefix);
    return {
      Contents: objects.map((object) => ({ Key: object.key, Size: object.size, LastModified: object.lastModified })),
      KeyCount: objects.length,
      IsTruncated: false,
    };
  });
  return s3;
}
