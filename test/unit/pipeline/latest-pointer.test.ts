import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LatestPointer } from '../../../src/pipeline/contracts.js';
import { keys } from '../../../src/pipeline/keys.js';
import { LatestContentionError, readLatest, swapLatest } from '../../../src/pipeline/latest-pointer.js';
import { S3Store } from '../../../src/store/s3-store.js';
import type { Store } from '../../../src/store/store.js';
import { etagOf, mockBucket } from '../../../fixtures/mock-bucket.js';
import { publishLatest } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const s3 = mockClient(S3Client);
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const pointerTo = (runId: string): LatestPointer => ({ schemaVersion: 1, runId, publishedAt: '2026-01-01T00:00:00.000Z' });

/**
 * A decision that, the first time, lets a rival writer move the pointer between our read and our write: the race a
 * compare-and-swap exists for. Records every pointer it was asked to decide on.
 */
function racedDecision(store: Store, rival: string, ours: string) {
  const seen: Array<string | undefined> = [];
  const decide = async (current: LatestPointer | undefined) => {
    seen.push(current?.runId);
    if (seen.length === 1) await publishLatest(store, rival);
    // Promote ours only over anything but the rival (as if the rival scored better).
    return { pointTo: current?.runId === rival ? undefined : ours };
  };
  return { decide, seen };
}

describe('readLatest', () => {
  it('reads a corrupt pointer as no model, logs it, and still hands out its ETag for the swap that replaces it', async () => {
    const store = temporaryStore();
    await store.put(keys.latest, new TextEncoder().encode('{"schemaVersion":1,'));
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

    const read = await readLatest(store, log);

    expect(read.pointer).toBeUndefined();
    expect(read.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(log.warn).toHaveBeenCalledOnce();
    const { written } = await swapLatest(store, async () => ({ pointTo: 'run-fixed' }));
    expect(written?.runId).toBe('run-fixed');
    expect((await readLatest(store)).pointer?.runId).toBe('run-fixed');
  });
});

describe('swapLatest on FsStore', () => {
  it('a losing writer re-reads the pointer and decides again on the winner', async () => {
    const store = temporaryStore();
    await publishLatest(store, 'run-base');
    const { decide, seen } = racedDecision(store, 'run-rival', 'run-ours');

    const { decision, written } = await swapLatest(store, decide);

    expect(seen).toEqual(['run-base', 'run-rival']);
    expect(decision.pointTo).toBeUndefined();
    expect(written).toBeUndefined();
    expect((await readLatest(store)).pointer?.runId).toBe('run-rival');
  });

  it('the first pointer is written only if absent: a rival creating it first makes us decide again', async () => {
    const store = temporaryStore();
    const { decide, seen } = racedDecision(store, 'run-rival', 'run-ours');

    await swapLatest(store, decide);

    expect(seen).toEqual([undefined, 'run-rival']);
    expect((await readLatest(store)).pointer?.runId).toBe('run-rival');
  });

  it('gives up with a typed error when every round is lost', async () => {
    const store = temporaryStore();
    await publishLatest(store, 'run-base');
    let round = 0;
    const alwaysRaced = async () => {
      await publishLatest(store, `run-rival-${round++}`);
      return { pointTo: 'run-ours' };
    };

    await expect(swapLatest(store, alwaysRaced)).rejects.toBeInstanceOf(LatestContentionError);
  });
});

describe('swapLatest on S3Store (aws-sdk-client-mock)', () => {
  beforeEach(() => s3.reset());

  it('puts with If-Match on the ETag read; after a 412 it reads again and decides on the rival pointer', async () => {
    const objects = mockBucket(s3, { [keys.latest]: encode(pointerTo('run-base')) });
    const store = new S3Store({ bucket: 'bucket' });
    const baseEtag = etagOf(objects.get(keys.latest)!);
    const seen: Array<string | undefined> = [];
    const decide = async (current: LatestPointer | undefined) => {
      seen.push(current?.runId);
      if (seen.length === 1) objects.set(keys.latest, encode(pointerTo('run-rival')));
      return { pointTo: 'run-ours' };
    };

    const { written } = await swapLatest(store, decide);

    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(seen).toEqual(['run-base', 'run-rival']);
    expect(puts.map((put) => put.IfMatch)).toEqual([baseEtag, etagOf(encode(pointerTo('run-rival')))]);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(written?.runId).toBe('run-ours');
    expect(JSON.parse(new TextDecoder().decode(objects.get(keys.latest)))).toMatchObject({ schemaVersion: 1, runId: 'run-ours' });
  });

  it('creates the first pointer with If-None-Match: *', async () => {
    const objects = mockBucket(s3);
    const store = new S3Store({ bucket: 'bucket' });

    await swapLatest(store, async () => ({ pointTo: 'run-first' }));

    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Key: keys.latest, IfNoneMatch: '*' });
    expect(objects.has(keys.latest)).toBe(true);
  });
});
