import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { PipelineAlarms } from './alarms.js';
import type { RubatoFlags } from './context-flags.js';
import { DataBucket } from './data-bucket.js';
import { GenerateApi } from './http-api.js';
import { PipelineFunctions } from './pipeline-functions.js';
import { PreprocessFailures } from './preprocess-failures.js';
import { ShippedModels } from './shipped-models.js';
import { TrainerService } from './trainer-service.js';
import { TrainingQueue } from './training-queue.js';

export interface RubatoStackProps extends StackProps {
  flags: RubatoFlags;
}

/** Everything rubato runs on in AWS: bucket, functions, queue, trainer, HTTP API, alarms. */
export class RubatoStack extends Stack {
  constructor(scope: Construct, id: string, props: RubatoStackProps) {
    super(scope, id, props);
    const logLevel = 'INFO';
    const logRetention = logs.RetentionDays.ONE_MONTH;

    const data = new DataBucket(this, 'DataBucket');
    const { flags } = props;
    const training = new TrainingQueue(this, 'TrainingQueue', { deliveryDelay: Duration.minutes(flags.trainDelayMinutes) });
    const functions = new PipelineFunctions(this, 'Functions', {
      bucket: data.bucket,
      queue: training.queue,
      logLevel,
      logRetention,
      preprocessConcurrency: flags.preprocessConcurrency,
      generateConcurrency: flags.generateConcurrency,
    });
    // A fresh stack serves the committed default model at once, with the large one beside it.
    new ShippedModels(this, 'ShippedModels', { bucket: data.bucket, logLevel, logRetention });
    const preprocessFailures = new PreprocessFailures(this, 'PreprocessFailures', {
      preprocess: functions.preprocess,
      bucket: data.bucket,
      logLevel,
      logRetention,
    });
    const trainer = new TrainerService(this, 'Trainer', {
      bucket: data.bucket,
      queue: training.queue,
      logBucket: data.logBucket,
      spot: flags.spotTrainer,
      logLevel,
      logRetention,
      trainMinutes: 30,
      keepModels: flags.keepModels,
      cpu: flags.trainerCpu,
    });
    const api = new GenerateApi(this, 'Api', {
      handler: functions.generate.function,
      public: flags.publicApi,
      logRetention,
    });
    const alarmTopic = new AlarmTopic(this, 'AlarmTopic', flags.alarmEmail ? { email: flags.alarmEmail } : {});
    new PipelineAlarms(this, 'Alarms', {
      deadLetterQueue: training.deadLetterQueue,
      functions: {
        Preprocess: functions.preprocess.function,
        Generate: functions.generate.function,
        PreprocessFailures: preprocessFailures.recorder.function,
      },
      topic: alarmTopic.topic,
    });

    new CfnOutput(this, 'BucketName', {
      value: data.bucket.bucketName,
      description: 'Upload MIDI files to s3://<this>/uploads/',
    });
    new CfnOutput(this, 'ApiUrl', { value: api.stage.url, description: 'GET /generate, POST /generate, GET /models, POST /models/{runId}/promote (IAM), GET /health, GET /openapi.json' });
    new CfnOutput(this, 'QueueUrl', { value: training.queue.queueUrl, description: 'Train requests' });
    new CfnOutput(this, 'TrainerLogGroup', {
      value: trainer.logGroup.logGroupName,
      description: 'aws logs tail <this> --follow',
    });
  }
}
