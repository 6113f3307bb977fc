import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { grantPrefixAccess } from './bucket-access.js';
import { bucketPrefixes } from './bucket-prefixes.js';
import { NodeFunction } from './node-function.js';

/** Attempts of one S3 event (the first and two retries, Lambda's default) before it is given up. */
export const preprocessAttempts = 3;
/** An event still waiting after this long (preprocess throttled by its reserved concurrency) is given up too. */
export const preprocessMaxEventAge = Duration.hours(6);

export interface PreprocessFailuresProps {
  preprocess: NodeFunction;
  bucket: s3.Bucket;
  logLevel: string;
  logRetention: logs.RetentionDays;
}

/**
 * S3 invokes preprocess asynchronously: an event that fails every attempt would vanish without a trace. Its on-failure
 * destination, a small function, writes `rejected/<key>.json` with code `internal` so the upload's author learns of it.
 */
export class PreprocessFailures extends Construct {
  readonly recorder: NodeFunction;

  constructor(scope: Construct, id: string, props: PreprocessFailuresProps) {
    super(scope, id);
    this.recorder = new NodeFunction(this, 'Recorder', {
      entry: 'functions/preprocess-failed/handler.ts',
      description: 'rubato preprocess-failed: records an upload preprocessing gave up on as rejected/<key>.json',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      reservedConcurrency: 1,
      environment: { BUCKET_NAME: props.bucket.bucketName, LOG_LEVEL: props.logLevel },
    });
    grantPrefixAccess(props.bucket, this.recorder.role, { read: [bucketPrefixes.rejected], write: [bucketPrefixes.rejected] });
    props.preprocess.function.configureAsyncInvoke({
      retryAttempts: preprocessAttempts - 1,
      maxEventAge: preprocessMaxEventAge,
      onFailure: new LambdaDestination(this.recorder.function, { responseOnly: false }),
    });
    const recorderId = Stack.of(this).getLogicalId(this.recorder.function.node.defaultChild as lambda.CfnFunction);
    Validations.of(props.preprocess.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${recorderId}.Arn>:*]`,
      reason: 'Lambda destinations grant invoking the recorder function and its versions (ARN:*); it is one function of this stack.',
    });
  }
}
