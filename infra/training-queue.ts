import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Delivery attempts before a "train requested" message is parked in the dead-letter queue. */
export const maxReceiveCount = 3;

/**
 * How long a received message stays hidden. The trainer extends it every few minutes while it
 * trains (the heartbeat), so this only bounds how soon a crashed trainer's work is retried.
 */
export const visibilityTimeout = Duration.minutes(15);

/** The "train requested" queue and its dead-letter queue. */
export class TrainingQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Requests', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
