import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../emulator/local-credentials.js';
import { startEmulator, type Emulator } from '../../../emulator/start-emulator.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { keys } from '../../../src/pipeline/keys.js';
import type { ModelList } from '../../../src/pipeline/list-models.js';
import { scaleMidi } from '../../support/tiny-midi.js';
import { tinyTraining } from '../../support/tiny-trainer.js';
import { waitFor } from '../../support/wait-for.js';

let emulator: Emulator;
let s3: S3Client;
const dataDir = mkdtempSync(join(tmpdir(), 'rubato-emulate-'));

/** The emulator over `dataDir`, whose bucket outlives a restart. */
function start(): Promise<Emulator> {
  return startEmulator({
    s3Port: 0,
    sqsPort: 0,
    apiPort: 0,
    dataDir,
    logLevel: 'SILENT',
    training: { ...tinyTraining, engine: 'fast', heartbeatSeconds: 0.5, retryDelaySeconds: 0 },
  });
}

async function models(): Promise<ModelList> {
  return (await fetch(`${emulator.apiUrl}/models`)).json() as Promise<ModelList>;
}

/** A client as a user would configure one: only the endpoint, the credentials s3rver accepts and path-style URLs. */
function userS3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: localRegion, credentials: localCredentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
}

async function text(key: string): Promise<string | undefined> {
  const object = await s3.send(new GetObjectCommand({ Bucket: emulator.bucket, Key: key })).catch(() => undefined);
  return object?.Body?.transformToString();
}


describe('rubato emulate on 127.0.0.1 (real s3rver, fauxqs, HTTP server; the functions own code)', () => {
  beforeAll(async () => {
    emulator = await start();
    s3 = userS3Client(emulator.s3Endpoint);
  });
  afterAll(async () => {
    s3?.destroy();
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers GET /generate with MIDI from the shipped default before any upload, and GET /models lists default and large', async () => {
    const generated = await fetch(`${emulator.apiUrl}/generate?seconds=3&seed=7`);
    const listed = await models();

    expect(generated.status).toBe(200);
    expect(parseMidi(new Uint8Array(await generated.arrayBuffer())).notes.length).toBeGreaterThan(0);
    expect(listed.latest).toBe('default');
    expect(listed.models.map(({ runId }) => runId).sort()).toEqual(['default', 'large']);
  });

  it('upload with the AWS SDK → S3 event → preprocess → SQS → trainer publishes a run GET /models lists → GET /generate answers MIDI', async () => {
    for (const variant of [0, 1, 2]) {
      await s3.send(new PutObjectCommand({ Bucket: emulator.bucket, Key: `uploads/scale ${variant}.mid`, Body: scaleMidi(64, variant) }));
    }
    await s3.send(new PutObjectCommand({ Bucket: emulator.bucket, Key: 'uploads/broken.mid', Body: new TextEncoder().encode('not midi') }));
    await s3.send(new PutObjectCommand({ Bucket: emulator.bucket, Key: 'uploads/notes.txt', Body: new TextEncoder().encode('ignored') }));

    const run = await waitFor(async () => (await models()).models.find(({ runId }) => runId.startsWith('run-')), 45);
    const rejection = JSON.parse((await text(keys.rejected('uploads/broken.mid')))!) as { code: string };
    const generated = await fetch(`${emulator.apiUrl}/generate?seconds=3&seed=7`);
    const midi = new Uint8Array(await generated.arrayBuffer());

    expect(rejection.code).toBe('not-midi');
    expect(await text(keys.rejected('uploads/notes.txt'))).toBeUndefined();
    expect(generated.status).toBe(200);
    expect(generated.headers.get('content-type')).toBe('audio/midi');
    expect(parseMidi(midi).notes.length).toBeGreaterThan(0);
    expect(run.promotion?.reason).toMatch(/^(not )?promoted: validation NLL/);
  });

  it('answers bad input with a 400 JSON error through the payload-2.0 adapter (GET query and POST JSON)', async () => {
    const query = await fetch(`${emulator.apiUrl}/generate?seconds=abc`);
    const body = await fetch(`${emulator.apiUrl}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seconds":' });

    expect(query.status).toBe(400);
    expect(((await query.json()) as { error: { code: string } }).error.code).toBe('invalid-parameter');
    expect(body.status).toBe(400);
    expect(((await body.json()) as { error: { code: string } }).error.code).toBe('invalid-json');
  });

  it('creates the training queue with a redrive policy of 3 receives into its dead-letter queue', async () => {
    const sqs = new SQSClient({ endpoint: emulator.sqsEndpoint, region: localRegion, credentials: localCredentials, useQueueUrlAsEndpoint: false });
    try {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: emulator.queueUrl, AttributeNames: ['RedrivePolicy'] }));
      const dead = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: emulator.deadLetterQueueUrl, AttributeNames: ['QueueArn'] }));

      const policy = JSON.parse(Attributes!.RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: string | number };
      expect(policy.deadLetterTargetArn).toBe(dead.Attributes!.QueueArn);
      expect(Number(policy.maxReceiveCount)).toBe(3);
    } finally {
      sqs.destroy();
    }
  });

  it('keeps a user-promoted model as latest across a restart that publishes the shipped models again', async () => {
    const run = (await models()).models.find(({ runId }) => runId.startsWith('run-'))!;
    expect((await fetch(`${emulator.apiUrl}/models/${run.runId}/promote`, { method: 'POST' })).status).toBe(200);

    await emulator.close();
    emulator = await start();
    const listed = await models();

    expect(listed.latest).toBe(run.runId);
    expect(listed.models.map(({ runId }) => runId)).toEqual(expect.arrayContaining(['default', 'large', run.runId]));
  });
});
