import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestOf, tokenizeMidiFile } from '../../../src/dataset/tokenize-file.js';
import type { RejectionRecord, TrainRequest } from '../../../src/pipeline/contracts.js';
import { preprocessUpload, type PreprocessDependencies } from '../../../src/pipeline/preprocess-upload.js';
import { SqsQueue } from '../../../src/queue/sqs-queue.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';
import { mockBucket } from '../../../fixtures/mock-bucket.js';
import { scaleMidi } from '../../support/tiny-midi.js';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const dependencies: PreprocessDependencies = {
  store: new S3Store({ bucket: 'bucket' }),
  queue: new SqsQueue({ queueUrl: 'https://sqs.test/queue' }),
  tokenizer: performanceTokenizer,
  maxBytes: 10_000,
};
const puts = () => s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
const sentRequests = () => sqs.commandCalls(SendMessageCommand).map((call) => JSON.parse(call.args[0].input.MessageBody!) as TrainRequest);
const json = <T>(bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as T;

describe('preprocessUpload', () => {
  beforeEach(() => {
    s3.reset();
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  });

  it('writes the content-addressed entry, tokens before metadata, and sends one train request', async () => {
    const bytes = scaleMidi();
    const digest = digestOf(bytes);
    const objects = mockBucket(s3, { 'uploads/a b.mid': bytes });

    const outcome = await preprocessUpload('uploads/a b.mid', dependencies);

    expect(outcome).toMatchObject({ status: 'accepted', key: 'uploads/a b.mid', digest, notes: 16 });
    expect(puts()).toEqual([`datasets/performance/${digest}.tokens`, `datasets/performance/${digest}.json`]);
    expect(json<{ source: string; events: number }>(objects.get(`datasets/performance/${digest}.json`))).toMatchObject({ source: 'uploads/a b.mid' });
    expect(sentRequests()).toEqual([expect.objectContaining({ schemaVersion: 1, tokenizer: 'performance', reason: 'uploads/a b.mid accepted' })]);
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.QueueUrl).toBe('https://sqs.test/queue');
  });

  it('records the composer an upload names in its S3 metadata, or the one given with the upload, as the style it trains as', async () => {
    const bytes = scaleMidi();
    const digest = digestOf(bytes);
    const objects = mockBucket(s3, { 'uploads/etude.mid': bytes });
    s3.on(HeadObjectCommand, { Key: 'uploads/etude.mid' }).resolves({ ContentLength: bytes.length, LastModified: new Date(0), Metadata: { composer: ' Chopin ' } });

    await preprocessUpload('uploads/etude.mid', dependencies);
    const fromMetadata = json<{ composer?: string }>(objects.get(`datasets/performance/${digest}.json`)).composer;
    objects.delete(`datasets/performance/${digest}.json`);
    await preprocessUpload('uploads/etude.mid', dependencies, { composer: 'any' });
    const asAny = json<{ composer?: string }>(objects.get(`datasets/performance/${digest}.json`)).composer;

    expect(fromMetadata).toBe('Chopin');
    expect(asAny).toBeUndefined();
  });

  it('rejects a file over maxBytes from its size alone, without downloading it', async () => {
    const objects = mockBucket(s3, { 'uploads/big.mid': new Uint8Array(10_001) });

    const outcome = await preprocessUpload('uploads/big.mid', dependencies);

    expect(outcome).toMatchObject({ status: 'rejected', code: 'too-large' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(puts()).toEqual(['rejected/uploads/big.mid.json']);
    expect(json<RejectionRecord>(objects.get('rejected/uploads/big.mid.json'))).toMatchObject({ schemaVersion: 1, key: 'uploads/big.mid', code: 'too-large' });
    expect(sentRequests()).toEqual([]);
  });

  it.each([
    ['not MIDI at all', new TextEncoder().encode('hello, not a MIDI file'), 'not-midi'],
    ['a file cut short', scaleMidi().slice(0, 30), 'truncated'],
  ])('records why %s is rejected, sends nothing and does not throw', async (_, bytes, code) => {
    const objects = mockBucket(s3, { 'uploads/bad.mid': bytes });

    const outcome = await preprocessUpload('uploads/bad.mid', dependencies);

    expect(outcome.status).toBe('rejected');
    expect(outcome).toMatchObject({ code });
    const record = json<RejectionRecord>(objects.get('rejected/uploads/bad.mid.json'));
    expect(record.message.length).toBeGreaterThan(0);
    expect(puts()).toEqual(['rejected/uploads/bad.mid.json']);
    expect(sentRequests()).toEqual([]);
  });

  it('processes the same content under another key once: a duplicate, no new entry, no train request', async () => {
    const bytes = scaleMidi();
    mockBucket(s3, { 'uploads/a.mid': bytes, 'uploads/copy of a.mid': bytes });
    await preprocessUpload('uploads/a.mid', dependencies);
    s3.resetHistory();
    sqs.resetHistory();

    const outcome = await preprocessUpload('uploads/copy of a.mid', dependencies);

    expect(outcome).toEqual({ status: 'duplicate', key: 'uploads/copy of a.mid', digest: digestOf(bytes) });
    expect(puts()).toEqual([]);
    expect(sentRequests()).toEqual([]);
  });

  it('handles a re-delivered event without writing again, and sends the request again in case the first send failed', async () => {
    mockBucket(s3, { 'uploads/a.mid': scaleMidi() });
    sqs.on(SendMessageCommand).rejectsOnce(new Error('SQS unavailable')).resolves({ MessageId: 'm' });
    await expect(preprocessUpload('uploads/a.mid', dependencies)).rejects.toThrow('SQS unavailable');
    s3.resetHistory();

    const outcome = await preprocessUpload('uploads/a.mid', dependencies);

    expect(outcome.status).toBe('duplicate');
    expect(puts()).toEqual([]);
    expect(sentRequests()).toHaveLength(2);
  });

  it('retires the entry at once when the key is uploaded again while its earlier version is tokenized: superseded, no train request (issue 24, item 3)', async () => {
    const earlier = scaleMidi(16, 5);
    const later = scaleMidi(16, 6);
    const objects = mockBucket(s3, { 'uploads/a.mid': earlier });
    const tokenize = async (bytes: Uint8Array, key: string) => {
      objects.set('uploads/a.mid', later); // the second upload lands while the first is being tokenized
      return tokenizeMidiFile(bytes, key, performanceTokenizer);
    };

    const outcome = await preprocessUpload('uploads/a.mid', { ...dependencies, tokenize });

    expect(outcome).toMatchObject({ status: 'superseded', key: 'uploads/a.mid' });
    expect([...objects.keys()].filter((key) => key.startsWith('datasets/'))).toEqual([]);
    expect(sentRequests()).toEqual([]);
  });

  it('lets a store error through (the event is retried) and writes no rejection', async () => {
    mockBucket(s3, { 'uploads/a.mid': scaleMidi() });
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 }, message: 'SlowDown' }));

    await expect(preprocessUpload('uploads/a.mid', dependencies)).rejects.toThrow('SlowDown');
    expect(puts()).toEqual([]);
  });
});
