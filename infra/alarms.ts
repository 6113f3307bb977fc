import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PipelineAlarmsProps {
  deadLetterQueue: sqs.IQueue;
  functions: Record<string, lambda.IFunction>;
  /** Notified when any alarm fires and when it clears. */
  topic: sns.ITopic;
}

/** Alarms a person should look at, sent to the alarm topic: a parked training request, and any function error. */
export class PipelineAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);

    this.alarms.push(
      new cloudwatch.Alarm(this, 'DeadLetters', {
        alarmDescription: 'A training request failed 3 times and sits in the dead-letter queue.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarms.push(
        new cloudwatch.Alarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} function threw or timed out.`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    const notify = new SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
