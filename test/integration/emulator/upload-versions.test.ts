import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../emulator/local-credentials.js';
import { startEmulator, type Emulator } from '../../../emulator/start-emulator.js';
import { listEntryMetas } from '../../../src/dataset/dataset-store.js';
import { digestOf } from '../../../src/dataset/tokenize-file.js';
import { keys } from '../../../src/pipeline/keys.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { tinyTraining } from '../../support/tiny-trainer.js';

let emulator: Emulator;
let s3: S3Client;
const dataDir = mkdtempSync(join(tmpdir(), 'rubato-emulate-versions-'));

describe('rubato emulate: the same key uploaded twice (real s3rver events → the preprocess handler; issue 24, item 3)', () => {
  beforeAll(async () => {
    emulator = await startEmulator({ s3Port: 0, sqsPort: 0, apiPort: 0, dataDir, logLevel: 'SILENT', training: { ...tinyTraining, engine: 'fast' } });
    s3 = new S3Client({ endpoint: emulator.s3Endpoint, region: localRegion, credentials: localCredentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps only the entry of the bytes the key holds: the replaced upload’s entry is retired', async () => {
    const upload = async (bytes: Uint8Array) => {
      await s3.send(new PutObjectCommand({ Bucket: emulator.bucket, Key: 'uploads/twice.mid', Body: bytes }));
      await emulator.uploadsSettled();
      return (await listEntryMetas(emulator.store, keys.datasetPrefix('performance'))).filter((meta) => meta.source === 'uploads/twice.mid').map((meta) => meta.digest);
    };

    expect(await upload(scaleMidi(32, 7))).toEqual([digestOf(scaleMidi(32, 7))]);
    expect(await upload(scaleMidi(32, 8))).toEqual([digestOf(scaleMidi(32, 8))]);
    expect(await emulator.store.head(keys.datasetTokens('performance', digestOf(scaleMidi(32, 7))))).toBeUndefined();
  }, 60_000);
});
