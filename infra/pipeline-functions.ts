import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantPrefixAccess } from './bucket-access.js';
import { bucketPrefixes } from './bucket-prefixes.js';
import { NodeFunction } from './node-function.js';
import { keys } from '../src/pipeline/keys.js';

/** Largest upload the preprocess function reads (bigger files are rejected with a reason). */
export const maxUploadBytes = 5 * 1024 * 1024;

export interface PipelineFunctionsProps {
  bucket: s3.Bucket;
  queue: sqs.IQueue;
  logLevel: string;
  logRetention: logs.RetentionDays;
  preprocessConcurrency: number;
  generateConcurrency: number;
}

/** The two Lambda functions: preprocess (S3 upload → dataset + train request) and generate (HTTP → MIDI). */
export class PipelineFunctions extends Construct {
  readonly preprocess: NodeFunction;
  readonly generate: NodeFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { bucket, queue, logLevel, logRetention } = props;

    this.preprocess = new NodeFunction(this, 'Preprocess', {
      entry: 'functions/preprocess/handler.ts',
      description: 'rubato preprocess: MIDI upload to token dataset, then a train request',
      memorySize: 1024,
      timeout: Duration.seconds(60),
      logRetention,
      reservedConcurrency: props.preprocessConcurrency,
      environment: {
        BUCKET_NAME: bucket.bucketName,
        QUEUE_URL: queue.queueUrl,
        TOKENIZER: 'performance',
        LOG_LEVEL: logLevel,
        MAX_UPLOAD_BYTES: String(maxUploadBytes),
      },
    });
    grantPrefixAccess(bucket, this.preprocess.role, {
      // datasets/ is read too: content addressing skips a file already processed.
      read: [bucketPrefixes.uploads, bucketPrefixes.datasets],
      write: [bucketPrefixes.datasets, bucketPrefixes.rejected],
      listBucket: true,
    });
    queue.grantSendMessages(this.preprocess.function);
    // One filter holds one suffix, so each ending gets its own notification.
    for (const suffix of keys.uploadSuffixes) {
      bucket.addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.LambdaDestination(this.preprocess.function),
        { prefix: bucketPrefixes.uploads, suffix },
      );
    }
    acknowledgeNotificationsHandler(Stack.of(this));

    this.generate = new NodeFunction(this, 'Generate', {
      entry: 'functions/generate/handler.ts',
      description: 'rubato generate: samples new MIDI from the newest model',
      // 1769 MB is where Lambda gives one full vCPU; sampling is CPU-bound.
      memorySize: 1769,
      // API Gateway gives up after 30 s; the function must answer before that.
      timeout: Duration.seconds(29),
      logRetention,
      reservedConcurrency: props.generateConcurrency,
      environment: { BUCKET_NAME: bucket.bucketName, LOG_LEVEL: logLevel },
    });
    grantPrefixAccess(bucket, this.generate.role, {
      read: [bucketPrefixes.models],
      listBucket: true,
    });
    // POST /models/<runId>/promote swaps the pointer, and only the pointer: no other model file is writable here.
    this.generate.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(keys.latest)] }));
  }
}

/**
 * `addEventNotification` adds CDK's singleton custom-resource Lambda that writes the bucket's
 * notification configuration at deploy time; its role comes with AWSLambdaBasicExecutionRole.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-managed deploy-time handler that only configures bucket notifications; the managed policy lets it write its own logs.',
    });
  }
}
