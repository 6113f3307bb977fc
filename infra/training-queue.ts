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

export interface TrainingQueueProps {
  /**
   * How long a train request stays invisible after it is sent (SQS delivery delay, at most 15 minutes). The trainer
   * scales out on visible requests and takes all pending ones into one run, so uploads within this window share a run
   * instead of each starting one.
   */
  deliveryDelay: Duration;
}

/** The "train requested" queue and its dead-letter queue. */
export class TrainingQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TrainingQueueProps) {
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
      deliveryDelay: props.deliveryDelay,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
