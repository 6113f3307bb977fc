import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from 'fauxqs';
import S3rver from 's3rver';
import { SqsQueue } from '../../src/queue/sqs-queue.js';
import { S3Store } from '../../src/store/s3-store.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

export interface LocalS3 {
  client: S3Client;
  /** A new empty bucket as a Store. */
  bucket(name: string): Promise<S3Store>;
  stop(): Promise<void>;
}

/** s3rver in this process on 127.0.0.1, data in a temporary folder, with a client configured for it. */
export async function startS3rver(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'rubato-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region,
    credentials,
    forcePathStyle: true,
    // s3rver predates the SDK's default checksums: with them it would store the aws-chunked framing as the body.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    client,
    async bucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return new S3Store({ bucket: name, client });
    },
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface LocalSqs {
  client: SQSClient;
  /** A queue whose redrive policy moves a message to its dead-letter queue after `maxReceiveCount` receives. */
  queueWithDeadLetters(name: string, maxReceiveCount: number): Promise<{ queue: SqsQueue; deadLetters: SqsQueue }>;
  stop(): Promise<void>;
}

/** fauxqs (an SQS emulator) in this process, listening on 127.0.0.1 only. */
export async function startFauxqs(): Promise<LocalSqs> {
  const app = buildApp({ logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  // Queue URLs name a `sqs.<region>.localhost` host; send every request to the listening address instead.
  const client = new SQSClient({ endpoint: `http://127.0.0.1:${port}`, region, credentials, useQueueUrlAsEndpoint: false });
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return QueueUrl!;
  };
  return {
    client,
    async queueWithDeadLetters(name, maxReceiveCount) {
      const deadLetterUrl = await create(`${name}-dlq`);
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }));
      const redrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: String(maxReceiveCount) });
      const queueUrl = await create(name, { RedrivePolicy: redrivePolicy });
      return { queue: new SqsQueue({ queueUrl, client }), deadLetters: new SqsQueue({ queueUrl: deadLetterUrl, client }) };
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
