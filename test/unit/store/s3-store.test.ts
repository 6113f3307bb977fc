import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3Store } from '../../../src/store/s3-store.js';

const s3 = mockClient(S3Client);
const store = new S3Store({ bucket: 'bucket' });

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

describe('S3Store', () => {
  beforeEach(() => s3.reset());

  it('gets the object bytes from the bucket', async () => {
    s3.on(GetObjectCommand, { Bucket: 'bucket', Key: 'uploads/a.mid' }).resolves({ Body: sdkStreamMixin(Readable.from([new Uint8Array([1, 2, 3])])) });

    const bytes = await store.get('uploads/a.mid');

    expect(Array.from(bytes!)).toEqual([1, 2, 3]);
  });

  it('reads a missing key as undefined (GetObject NoSuchKey, HeadObject 404)', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no such key', $metadata: { httpStatusCode: 404 } }));
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));

    expect(await store.get('nothing')).toBeUndefined();
    expect(await store.head('nothing')).toBeUndefined();
  });

  it('lets other errors through, so the caller retries', async () => {
    s3.on(GetObjectCommand).rejects(serviceError('InternalError', 500));
    s3.on(HeadObjectCommand).rejects(serviceError('AccessDenied', 403));

    await expect(store.get('uploads/a.mid')).rejects.toThrow('InternalError');
    await expect(store.head('uploads/a.mid')).rejects.toThrow('AccessDenied');
  });

  it('heads an object into key, size and date', async () => {
    const lastModified = new Date('2024-01-02T03:04:05Z');
    s3.on(HeadObjectCommand, { Key: 'uploads/a.mid' }).resolves({ ContentLength: 1234, LastModified: lastModified });

    expect(await store.head('uploads/a.mid')).toEqual({ key: 'uploads/a.mid', size: 1234, lastModified });
  });

  it('puts the body with its content type, and only if absent with If-None-Match: *; resolves the ETag S3 gave the write', async () => {
    s3.on(PutObjectCommand, { Key: 'models/latest.json' }).resolves({ ETag: '"written"' });
    s3.on(PutObjectCommand, { Key: 'datasets/x.json' }).resolves({ ETag: '"conditional"' });
    const body = new Uint8Array([9, 8]);

    expect(await store.put('models/latest.json', body, { contentType: 'application/json' })).toBe('"written"');
    expect(await store.put('datasets/x.json', body, { ifAbsent: true })).toBe('"conditional"');

    const [plain, conditional] = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(plain).toMatchObject({ Bucket: 'bucket', Key: 'models/latest.json', Body: body, ContentType: 'application/json' });
    expect(plain).not.toHaveProperty('IfNoneMatch');
    expect(conditional).toMatchObject({ Key: 'datasets/x.json', IfNoneMatch: '*' });
  });

  it('resolves undefined when a conditional put finds an object (412), and throws other failures', async () => {
    s3.on(PutObjectCommand, { Key: 'taken' }).rejects(serviceError('PreconditionFailed', 412));
    s3.on(PutObjectCommand, { Key: 'broken' }).rejects(serviceError('InternalError', 500));

    expect(await store.put('taken', new Uint8Array(1), { ifAbsent: true })).toBeUndefined();
    await expect(store.put('broken', new Uint8Array(1), { ifAbsent: true })).rejects.toThrow('InternalError');
  });

  it('lists every page of a prefix, following continuation tokens', async () => {
    const at = new Date(0);
    s3.on(ListObjectsV2Command, { Prefix: 'datasets/' }).resolves({
      Contents: [{ Key: 'datasets/a.json', Size: 1, LastModified: at }],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { Prefix: 'datasets/', ContinuationToken: 'page-2' }).resolves({
      Contents: [{ Key: 'datasets/b.json', Size: 2, LastModified: at }],
      IsTruncated: false,
    });

    const objects = await store.list('datasets/');

    expect(objects.map((object) => object.key)).toEqual(['datasets/a.json', 'datasets/b.json']);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.ContinuationToken)).toEqual([undefined, 'page-2']);
  });

  it('deletes by key', async () => {
    s3.on(DeleteObjectCommand).resolves({});

    await store.delete('checkpoints/run/latest.json');

    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'bucket', Key: 'checkpoints/run/latest.json' });
  });
});
