import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsQueue } from '../../../src/queue/sqs-queue.js';

const sqs = mockClient(SQSClient);
const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/rubato-train';
const queue = new SqsQueue({ queueUrl });

describe('SqsQueue', () => {
  beforeEach(() => sqs.reset());

  it('sends the body to the queue', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    await queue.send('{"reason":"x"}');

    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: queueUrl, MessageBody: '{"reason":"x"}' });
  });

  it('long-polls asking for the receive count, and maps the answer', async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: 'b', Attributes: { ApproximateReceiveCount: '2' } }],
    });

    const messages = await queue.receive({ maxMessages: 10, waitSeconds: 20, visibilitySeconds: 180 });

    expect(messages).toEqual([{ id: 'm1', receipt: 'r1', body: 'b', receiveCount: 2 }]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 180,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
  });

  it('answers an empty receive with no messages', async () => {
    sqs.on(ReceiveMessageCommand).resolves({});

    expect(await queue.receive()).toEqual([]);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).not.toHaveProperty('VisibilityTimeout');
  });

  it('acks with DeleteMessage and extends with ChangeMessageVisibility, by receipt handle', async () => {
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const message = { id: 'm1', receipt: 'r1', body: 'b', receiveCount: 1 };

    await queue.extend(message, 300);
    await queue.ack(message);

    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toEqual({ QueueUrl: queueUrl, ReceiptHandle: 'r1', VisibilityTimeout: 300 });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: queueUrl, ReceiptHandle: 'r1' });
  });
});
