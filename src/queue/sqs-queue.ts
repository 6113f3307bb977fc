import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage, ReceiveOptions } from './queue.js';

export interface SqsQueueOptions {
  queueUrl: string;
  /** Tests pass a client for a local server (fauxqs) or one that `aws-sdk-client-mock` intercepts. */
  client?: SQSClient;
}

/**
 * The work-queue port over SQS: ack deletes the message, extend changes its visibility, and each received message
 * carries SQS's ApproximateReceiveCount (the queue's redrive policy moves it to the dead-letter queue).
 *
 * @example
 * const queue = new SqsQueue({ queueUrl: process.env.QUEUE_URL! });
 * const messages = await queue.receive({ waitSeconds: 20 });
 */
export class SqsQueue implements Queue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: SqsQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
  }

  async send(body: string): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage[]> {
    const answer = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: options.maxMessages ?? 1,
        WaitTimeSeconds: options.waitSeconds ?? 0,
        ...(options.visibilitySeconds !== undefined ? { VisibilityTimeout: options.visibilitySeconds } : {}),
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
      options.signal ? { abortSignal: options.signal } : {},
    );
    return (answer.Messages ?? []).map((message) => ({
      id: message.MessageId ?? '',
      receipt: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  async ack(message: QueueMessage): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receipt }));
  }

  async extend(message: QueueMessage, visibilitySeconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.receipt, VisibilityTimeout: visibilitySeconds }),
    );
  }
}
