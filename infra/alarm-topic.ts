import { Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Subscribed by e-mail (the address must confirm the subscription); none: subscribe whatever you use yourself. */
  email?: string;
}

/** The SNS topic every alarm notifies, so an alarm reaches a person instead of only turning red in the console. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'rubato alarms', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states, no data. CloudWatch cannot publish to a topic encrypted with the AWS-managed key, and a customer-managed key would cost more than everything else idle.',
    });
  }
}
