import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3RecordsFailedError } from '../../../functions/preprocess/s3-event.js';
import { digestOf } from '../../../src/dataset/tokenize-file.js';
import { createPreprocessHandler, type PreprocessHandler } from '../../../functions/preprocess/preprocess-handler.js';
import { preprocessSettings } from '../../../functions/preprocess/preprocess-settings.js';
import { createLogger } from '../../../src/log/logger.js';
import { SqsQueue } from '../../../src/queue/sqs-queue.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { etagOf, mockBucket } from '../../../fixtures/mock-bucket.js';
import { s3EventFactory } from '../../support/s3-event.js';
import { scaleMidi } from '../../support/tiny-midi.js';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const context = { awsRequestId: 'request-1', functionName: 'rubato-preprocess' };
let handler: PreprocessHandler;

describe('preprocess handler', () => {
  beforeAll(async () => {
    vi.stubEnv('BUCKET_NAME', 'bucket');
    vi.stubEnv('QUEUE_URL', 'https://sqs.test/queue');
    vi.stubEnv('MAX_UPLOAD_BYTES', '10000');
    vi.stubEnv('LOG_LEVEL', 'SILENT');
    ({ handler } = await import('../../../functions/preprocess/handler.js'));
  });

  beforeEach(() => {
    s3.reset();
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  });

  it('handles every record with URL-decoded keys (spaces, unicode); a bad file does not fail the batch', async () => {
    const spaced = scaleMidi(16, 0);
    const unicode = scaleMidi(16, 1);
    const objects = mockBucket(s3, {
      'uploads/a b+c.mid': spaced,
      'uploads/Für Elise é.midi': unicode,
      'uploads/broken.mid': new TextEncoder().encode('nope'),
    });

    const outcomes = await handler(s3EventFactory('uploads/a b+c.mid', 'uploads/Für Elise é.midi', 'uploads/broken.mid'), context);

    expect(outcomes.map((outcome) => [outcome.key, outcome.status])).toEqual([
      ['uploads/a b+c.mid', 'accepted'],
      ['uploads/Für Elise é.midi', 'accepted'],
      ['uploads/broken.mid', 'rejected'],
    ]);
    expect(objects.has(`datasets/performance/${digestOf(spaced)}.tokens`)).toBe(true);
    expect(objects.has(`datasets/performance/${digestOf(unicode)}.json`)).toBe(true);
    expect(objects.has('rejected/uploads/broken.mid.json')).toBe(true);
    expect(sqs.commandCalls(SendMessageCommand).map((call) => JSON.parse(call.args[0].input.MessageBody!).reason)).toEqual([
      'uploads/a b+c.mid accepted',
      'uploads/Für Elise é.midi accepted',
    ]);
  });

  it('processes the other records when S3 fails for one, then throws naming only that key so Lambda retries', async () => {
    const objects = mockBucket(s3, { 'uploads/ok.mid': scaleMidi(), 'uploads/flaky.mid': scaleMidi(16, 2) });
    s3.on(GetObjectCommand, { Key: 'uploads/flaky.mid' }).rejects(
      new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'InternalError' }),
    );

    const failure = await handler(s3EventFactory('uploads/flaky.mid', 'uploads/ok.mid'), context).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(S3RecordsFailedError);
    expect((failure as S3RecordsFailedError).keys).toEqual(['uploads/flaky.mid']);
    expect(objects.has(`datasets/performance/${digestOf(scaleMidi())}.tokens`)).toBe(true);
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).not.toContain('rejected/uploads/flaky.mid.json');
  });

  it('is harmless when S3 delivers the same event twice: one dataset entry', async () => {
    mockBucket(s3, { 'uploads/a.mid': scaleMidi() });
    const event = s3EventFactory('uploads/a.mid');

    const [first] = await handler(event, context);
    const [second] = await handler(event, context);

    expect([first!.status, second!.status]).toEqual(['accepted', 'duplicate']);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
  });
});

describe('preprocess handler: the same key uploaded twice, a versioned bucket (issue 24, item 3)', () => {
  const first = scaleMidi(16, 3);
  const second = scaleMidi(16, 4);
  const uploadV1 = { key: 'uploads/a.mid', versionId: 'v1', eTag: etagOf(first).slice(1, -1) };
  const uploadV2 = { key: 'uploads/a.mid', versionId: 'v2', eTag: etagOf(second).slice(1, -1) };
  const entryKeysOf = (objects: Map<string, Uint8Array>) => [...objects.keys()].filter((key) => key.startsWith('datasets/')).sort();
  const metaOf = (objects: Map<string, Uint8Array>, bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(objects.get(`datasets/performance/${digestOf(bytes)}.json`)));

  beforeEach(() => {
    s3.reset();
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
  });

  it('events in order: the second version is accepted naming its version, the replaced version’s entry is retired', async () => {
    const objects = mockBucket(s3, { 'uploads/a.mid': first });
    const [one] = await handler(s3EventFactory(uploadV1), context);
    expect(metaOf(objects, first)).toMatchObject({ source: 'uploads/a.mid', sourceVersion: 'v1' });

    objects.set('uploads/a.mid', second);
    const [two] = await handler(s3EventFactory(uploadV2), context);

    expect([one!.status, two!.status]).toEqual(['accepted', 'accepted']);
    expect(entryKeysOf(objects)).toEqual([`datasets/performance/${digestOf(second)}.json`, `datasets/performance/${digestOf(second)}.tokens`]);
    expect(metaOf(objects, second)).toMatchObject({ source: 'uploads/a.mid', sourceVersion: 'v2' });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual(
      expect.arrayContaining([`datasets/performance/${digestOf(first)}.json`, `datasets/performance/${digestOf(first)}.tokens`]),
    );
  });

  it('a good version replaced by a bad one: the bad one is rejected and the good one’s entry retired with its bytes', async () => {
    const garbage = new TextEncoder().encode('not MIDI at all');
    const objects = mockBucket(s3, { 'uploads/a.mid': first });
    await handler(s3EventFactory(uploadV1), context);

    objects.set('uploads/a.mid', garbage);
    const [bad] = await handler(s3EventFactory({ key: 'uploads/a.mid', versionId: 'v2', eTag: etagOf(garbage).slice(1, -1) }), context);

    expect(bad).toMatchObject({ status: 'rejected', key: 'uploads/a.mid' });
    expect(entryKeysOf(objects)).toEqual([]);
  });

  it('events out of order: the replaced version’s late event is superseded and writes nothing; the current one is accepted', async () => {
    const objects = mockBucket(s3, { 'uploads/a.mid': second });

    const [late] = await handler(s3EventFactory(uploadV1), context);
    expect(late).toMatchObject({ status: 'superseded', key: 'uploads/a.mid' });
    expect(entryKeysOf(objects)).toEqual([]);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);

    const [current] = await handler(s3EventFactory(uploadV2), context);
    expect(current).toMatchObject({ status: 'accepted', digest: digestOf(second) });
    expect(entryKeysOf(objects)).toEqual([`datasets/performance/${digestOf(second)}.json`, `datasets/performance/${digestOf(second)}.tokens`]);
  });
});

describe('preprocess handler logs (the real Powertools logger, its JSON lines read from stdout and stderr)', () => {
  let written: string[];

  beforeEach(() => {
    s3.reset();
    sqs.reset();
    written = [];
    // Powertools writes through its own Console: INFO to stdout, WARN and ERROR to stderr; CloudWatch keeps both.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("keeps each rejected upload's code and reason, and no line warns of a dropped key", async () => {
    const handler = createPreprocessHandler({
      store: new S3Store({ bucket: 'bucket' }),
      queue: new SqsQueue({ queueUrl: 'https://sqs.test/queue' }),
      ...preprocessSettings({ MAX_UPLOAD_BYTES: '10000' }),
      log: createLogger('rubato-preprocess', 'INFO'),
    });
    mockBucket(s3, { 'uploads/broken.mid': new TextEncoder().encode('nope'), 'uploads/huge.mid': new Uint8Array(20_000) });

    const outcomes = await handler(s3EventFactory('uploads/broken.mid', 'uploads/huge.mid'), context);
    vi.restoreAllMocks();

    const lines = written.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const rejected = lines.filter((line) => line.message === 'upload rejected');
    expect(rejected.map(({ key, code, reason, level }) => ({ key, code, reason, level }))).toEqual(
      outcomes.map((outcome) => ({ key: outcome.key, code: (outcome as { code: string }).code, reason: (outcome as { message: string }).message, level: 'WARN' })),
    );
    expect(rejected.map((line) => line.code)).toEqual(['not-midi', 'too-large']);
    expect(lines.filter((line) => /reserved key/.test(String(line.message)))).toEqual([]);
    expect(rejected.every((line) => line.service === 'rubato-preprocess' && line.function_request_id === 'request-1')).toBe(true);
  });
});
