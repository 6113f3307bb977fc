import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { listEntryMetas } from '../../../src/dataset/dataset-store.js';
import { computeSplit } from '../../../src/dataset/split.js';
import { digestOf } from '../../../src/dataset/tokenize-file.js';
import { preprocessBatch, type InputRead } from '../../../src/pipeline/preprocess-batch.js';
import type { PreprocessReport } from '../../../src/pipeline/preprocess-report.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { mockBucket } from '../../../fixtures/mock-bucket.js';
import { scaleMidi } from '../../support/tiny-midi.js';

const s3 = mockClient(S3Client);
const json = <T>(bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes)) as T;

describe('preprocessBatch over a Store (S3 adapter, mocked client)', () => {
  beforeEach(() => s3.reset());

  it('stores each distinct file once under tokens/, rejects a broken and a refused input with reasons, and writes split and report', async () => {
    const objects = mockBucket(s3);
    const scale = scaleMidi();
    // The batch hands each input's buffer to a worker (transferred, empty afterwards): take the digest first.
    const digest = digestOf(scale);
    const inputs: Record<string, InputRead> = {
      'a.mid': { ok: true, bytes: scale },
      'copy of a.mid': { ok: true, bytes: scale.slice() },
      'broken.mid': { ok: true, bytes: new TextEncoder().encode('MThd not really MIDI') },
      'huge.mid': { ok: false, code: 'too-large', message: 'huge.mid: 9 GB, over the limit' },
    };

    const report = await preprocessBatch({
      files: Object.keys(inputs),
      read: async (file) => inputs[file]!,
      store: new S3Store({ bucket: 'bucket' }),
      tokenizer: 'performance',
      jobs: 1,
    });

    expect(report.accepted.map((line) => [line.file, line.digest, line.duplicateOf])).toEqual([
      ['a.mid', digest, undefined],
      ['copy of a.mid', digest, 'a.mid'],
    ]);
    expect(report.rejected.map((line) => [line.file, line.code])).toEqual([
      ['broken.mid', expect.any(String)],
      ['huge.mid', 'too-large'],
    ]);
    expect(report.rejected[0]!.message.length).toBeGreaterThan(5);
    expect([...objects.keys()].filter((key) => key.startsWith('tokens/')).sort()).toEqual([`tokens/${digest}.json`, `tokens/${digest}.tokens`]);
    expect(json<PreprocessReport>(objects.get('report.json')).totals).toMatchObject({ files: 4, accepted: 2, rejected: 2, duplicates: 1 });
    expect(objects.has('split.json')).toBe(true);
  });

  it('splits every entry of the store, earlier batches included, as a listing of the store would', async () => {
    const objects = mockBucket(s3);
    const store = new S3Store({ bucket: 'bucket' });
    const batch = (files: Record<string, Uint8Array>) =>
      preprocessBatch({ files: Object.keys(files), read: async (file) => ({ ok: true, bytes: files[file]! }), store, tokenizer: 'performance', jobs: 1 });
    const pieces = Array.from({ length: 6 }, (_, variant) => scaleMidi(12, variant));
    const digests = pieces.map((bytes) => digestOf(bytes));

    // Each input's buffer is transferred to a worker: hand over copies.
    await batch({ 'a.mid': pieces[0]!.slice(), 'b.mid': pieces[1]!.slice(), 'c.mid': pieces[2]!.slice() });
    await batch({ 'd.mid': pieces[3]!.slice(), 'e.mid': pieces[4]!.slice(), 'f.mid': pieces[5]!.slice(), 'a again.mid': pieces[0]!.slice() });

    const split = json<{ train: string[]; validation: string[] }>(objects.get('split.json'));
    expect([...split.train, ...split.validation].sort()).toEqual([...new Set(digests)].sort());
    expect(computeSplit(await listEntryMetas(store, 'tokens/'))).toEqual(split);
  });
});
