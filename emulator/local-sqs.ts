import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AddressInfo } from 'node:net';
import { buildApp } from 'fauxqs';
import { SqsQueue } from '../src/queue/sqs-queue.js';
import { localCredentials, localRegion } from './local-credentials.js';

export interface QueueWithDeadLetters {
  queue: SqsQueue;
  queueUrl: string;
  deadLetters: SqsQueue;
  deadLetterUrl: string;
}

export interface LocalSqs {
  endpoint: string;
  client: SQSClient;
  /** A queue whose redrive policy moves a message to its dead-letter queue after `maxReceiveCount` receives. */
  queueWithDeadLetters(name: string, maxReceiveCount: number): Promise<QueueWithDeadLetters>;
  stop(): Promise<void>;
}

/**
 * fauxqs (an SQS emulator, queues in memory) in this process, listening on 127.0.0.1 only.
 *
 * @example
 * const sqs = await startLocalSqs({ port: 9324 });
 * const { queue } = await sqs.queueWithDeadLetters('rubato-train', 3);
 */
export async function startLocalSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  const app = buildApp({ logger: false });
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // Queue URLs name a `sqs.<region>.localhost` host; send every request to the listening address instead.
  const client = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials, useQueueUrlAsEndpoint: false });
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return QueueUrl!;
  };
  return {
    endpoint,
    client,
    async queueWithDeadLetters(name, maxReceiveCount) {
      const deadLetterUrl = await create(`${name}-dlq`);
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }));
      const redrivePolicy = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: String(maxReceiveCount) });
      const queueUrl = await create(name, { RedrivePolicy: redrivePolicy });
      return { queue: new SqsQueue({ queueUrl, client }), queueUrl, deadLetters: new SqsQueue({ queueUrl: deadLetterUrl, client }), deadLetterUrl };
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
