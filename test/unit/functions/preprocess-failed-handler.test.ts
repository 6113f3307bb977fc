import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AsyncFailureRecord } from '../../../functions/preprocess-failed/failure-event.js';
import { mockBucket } from '../../../fixtures/mock-bucket.js';
import { s3EventFactory } from '../../support/s3-event.js';

const s3 = mockClient(S3Client);
let handler: (record: AsyncFailureRecord) => Promise<unknown>;

/** What Lambda sends the on-failure destination after the last retry of an S3 event. */
const failureRecordFactory = (keys: string[], overrides: Partial<AsyncFailureRecord['requestContext']> = {}): AsyncFailureRecord => ({
  requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, ...overrides },
  requestPayload: s3EventFactory(...keys),
  responsePayload: { errorType: 'Error', errorMessage: 'Task timed out after 60.00 seconds' },
});

describe('preprocess-failed handler (issue 10, item 8: an abandoned upload gets a rejected/ record)', () => {
  beforeAll(async () => {
    vi.stubEnv('BUCKET_NAME', 'bucket');
    vi.stubEnv('LOG_LEVEL', 'SILENT');
    ({ handler } = await import('../../../functions/preprocess-failed/handler.js'));
  });
  beforeEach(() => s3.reset());

  it('writes rejected/<key>.json with code internal for every upload of the event, naming why', async () => {
    const objects = mockBucket(s3);

    await handler(failureRecordFactory(['uploads/a b.mid', 'uploads/c.midi']));

    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key).sort()).toEqual(['rejected/uploads/a b.mid.json', 'rejected/uploads/c.midi.json']);
    const record = JSON.parse(new TextDecoder().decode(objects.get('rejected/uploads/a b.mid.json')));
    expect(record).toMatchObject({ schemaVersion: 1, key: 'uploads/a b.mid', code: 'internal' });
    expect(record.message).toMatch(/failed 3 times \(Task timed out after 60.00 seconds\).*upload it again later/);
  });

  it('keeps a rejection that is already there (its reason is more precise)', async () => {
    const existing = new TextEncoder().encode(JSON.stringify({ schemaVersion: 1, key: 'uploads/a.mid', code: 'not-midi', message: 'not MIDI', rejectedAt: '2026-01-01T00:00:00Z' }));
    mockBucket(s3, { 'rejected/uploads/a.mid.json': existing });

    await handler(failureRecordFactory(['uploads/a.mid'], { condition: 'EventAgeExceeded' }));

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
