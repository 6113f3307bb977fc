import { Aws, CustomResource, Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { ShippedModelsProperties } from '../functions/publish-shipped/deploy-event.js';
import { committedModels, committedModelsDir, packageVersion } from '../src/model/committed-models.js';
import type { ShippedModel } from '../src/pipeline/shipped-models.js';
import { grantPrefixAccess } from './bucket-access.js';
import { bucketPrefixes } from './bucket-prefixes.js';
import { NodeFunction } from './node-function.js';

/** CloudFormation type of the resource that stands for "the shipped models are published". */
export const shippedModelsResourceType = 'Custom::RubatoShippedModels';

export interface ShippedModelsProps {
  bucket: s3.Bucket;
  logLevel: string;
  logRetention: logs.RetentionDays;
  /** Laid out as the repository's `models/` (the default): one folder per model. */
  modelsDir?: string;
}

/**
 * The deploy step that makes a fresh stack play at once: every file of the committed models is a file asset (uploaded
 * by `cdk deploy` as it is, only when its content changed), and a custom resource runs rubato's own publish code
 * (`functions/publish-shipped`) to publish them into the data bucket. The function stays small: the weights (4 MB
 * default, 7 MB large) never enter its zip. The resource's properties name every file by content hash, so a deploy
 * with retrained models (or a new version) runs it again, and an unchanged deploy does not.
 */
export class ShippedModels extends Construct {
  readonly publisher: NodeFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ShippedModelsProps) {
    super(scope, id);
    const { bucket } = props;
    const modelsDir = props.modelsDir ?? committedModelsDir;
    const committed = committedModels(modelsDir);
    // A stack without them would deploy a resource that fails: say so at synth time instead.
    if (committed.length === 0) throw new Error(`${modelsDir} holds no model folder with a manifest.json: nothing to ship`);
    const assets: Asset[] = [];
    const models: ShippedModel[] = committed.map(({ runId, files }) => ({
      runId,
      files: files.map((file) => {
        const asset = new Asset(this, `${runId}-${file.name}`, { path: path.join(modelsDir, file.key) });
        assets.push(asset);
        return { name: file.name, key: asset.s3ObjectKey };
      }),
    }));

    this.publisher = new NodeFunction(this, 'Publisher', {
      entry: 'functions/publish-shipped/handler.ts',
      description: 'rubato deploy step: publishes the shipped models (default as latest, large beside it) into the data bucket',
      memorySize: 512,
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      environment: { BUCKET_NAME: bucket.bucketName, LOG_LEVEL: props.logLevel },
    });
    // publishModel stages under checkpoints/<runId>/, copies into models/<runId>/, swaps models/latest.json, then clears the staging.
    grantPrefixAccess(bucket, this.publisher.role, {
      read: [bucketPrefixes.models, bucketPrefixes.checkpoints],
      write: [bucketPrefixes.models, bucketPrefixes.checkpoints],
      delete: [bucketPrefixes.checkpoints],
      listBucket: true,
    });
    // Exactly the model files' asset objects, no other key of the asset bucket.
    this.publisher.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: assets.map((asset) => `arn:${Aws.PARTITION}:s3:::${asset.s3BucketName}/${asset.s3ObjectKey}`) }),
    );

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.publisher.function,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    acknowledgeProviderFramework(provider, this.publisher);
    const properties: ShippedModelsProperties = {
      Version: packageVersion(),
      SourceBucket: assets[0]!.s3BucketName,
      Models: JSON.stringify(models),
    };
    this.resource = new CustomResource(this, 'Published', { serviceToken: provider.serviceToken, resourceType: shippedModelsResourceType, properties });
  }
}

/** The CDK provider framework's own function answers CloudFormation for the publisher; its grants are CDK's. */
function acknowledgeProviderFramework(provider: cr.Provider, publisher: NodeFunction): void {
  const publisherId = Stack.of(provider).getLogicalId(publisher.function.node.defaultChild as CfnElement);
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-managed deploy-time framework function that relays CloudFormation events to the publisher; the managed policy lets it write its own logs.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${publisherId}.Arn>:*]`,
      reason: 'The framework invokes the publisher function and its versions (ARN:*); it is one function of this stack.',
    },
  );
}
