import { Match } from 'aws-cdk-lib/assertions';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketPrefixes } from '../../../infra/bucket-prefixes.js';
import { iamThrottle } from '../../../infra/http-api.js';
import { nativeAddons } from '../../../infra/node-function.js';
import { keys } from '../../../src/pipeline/keys.js';
import { asList, policyStatements, resourceText, statementsOfRole, synthesizeRubato, type SynthesizedRubato } from './synth-rubato.js';

let synth: SynthesizedRubato;

beforeAll(() => {
  synth = synthesizeRubato();
});

afterAll(() => synth && rmSync(synth.assemblyDir, { recursive: true, force: true }));

function resourcesOfType(type: string): [string, any][] {
  return Object.entries(synth.json.Resources).filter(([, resource]) => resource.Type === type);
}

/** `action on resource` lines of a role's policies, with the data bucket's logical id written as `bucket`. */
function grantsOf(rolePrefix: string): string[] {
  const [bucketId] = resourcesOfType('AWS::S3::Bucket').find(([id]) => id.startsWith('DataBucketData'))!;
  return statementsOfRole(synth.json, rolePrefix).flatMap((statement) =>
    asList(statement.Action).flatMap((action: string) =>
      asList(statement.Resource).map((resource) => `${action} ${resourceText(resource).replace(`<${bucketId}.Arn>`, 'bucket')}`),
    ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('has no unacknowledged finding', () => {
    if (synth.findings.length > 0) console.error(`cdk-nag findings:\n${synth.findings.join('\n')}`);
    expect(synth.findings).toEqual([]);
  });
});

describe('data bucket', () => {
  it('is encrypted, private, versioned and logs access to the log bucket', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^DataBucketAccessLogs') } },
    });
  });

  it('expires rejection reports, stale checkpoints and old versions', () => {
    const [, bucket] = resourcesOfType('AWS::S3::Bucket').find(([id]) => id.startsWith('DataBucketData'))!;
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'rejected/', ExpirationInDays: 30, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'checkpoints/', ExpirationInDays: 14, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
      ]),
    );
  });

  it('denies requests without TLS on both buckets', () => {
    const policies = resourcesOfType('AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('sends uploads/*.mid and uploads/*.midi to the preprocess function, nothing else', () => {
    const [[, notifications]] = resourcesOfType('Custom::S3BucketNotifications');
    const configurations = notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations;
    const filters = configurations.map((configuration: any) => {
      expect(configuration.Events).toEqual(['s3:ObjectCreated:*']);
      expect(configuration.LambdaFunctionArn['Fn::GetAtt'][0]).toMatch(/^FunctionsPreprocessFunction/);
      return Object.fromEntries(configuration.Filter.Key.FilterRules.map((rule: any) => [rule.Name, rule.Value]));
    });
    expect(filters).toEqual(
      expect.arrayContaining([
        { prefix: 'uploads/', suffix: '.mid' },
        { prefix: 'uploads/', suffix: '.midi' },
      ]),
    );
    expect(filters).toHaveLength(2);
  });

  it('uses the key prefixes of the pipeline contract', () => {
    expect(keys.uploadsPrefix).toBe(bucketPrefixes.uploads);
    expect(keys.datasetTokens('performance', 'abc')).toMatch(new RegExp(`^${bucketPrefixes.datasets}`));
    expect(keys.rejected('uploads/a.mid')).toMatch(new RegExp(`^${bucketPrefixes.rejected}`));
    expect(keys.latest).toMatch(new RegExp(`^${bucketPrefixes.models}`));
    expect(keys.checkpointPrefix('run')).toMatch(new RegExp(`^${bucketPrefixes.checkpoints}`));
  });
});

describe('functions', () => {
  it.each([
    ['preprocess', 1024, 60, { TOKENIZER: 'performance', QUEUE_URL: { Ref: Match.stringLikeRegexp('^TrainingQueueRequests') }, MAX_UPLOAD_BYTES: '5242880' }],
    ['generate', 1769, 29, {}],
  ])('%s runs on Node 24 arm64 with %d MB, %d s and its environment', (name, memory, timeout, environment) => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp(`^rubato ${name}`),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: memory,
      Timeout: timeout,
      Environment: {
        Variables: Match.objectLike({ BUCKET_NAME: { Ref: Match.stringLikeRegexp('^DataBucketData') }, LOG_LEVEL: 'INFO', ...environment }),
      },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp(`^Functions${name[0]!.toUpperCase()}${name.slice(1)}Logs`) } },
    });
  });

  it('bundles each function into one ESM file that loads without the native addons', () => {
    for (const [, fn] of resourcesOfType('AWS::Lambda::Function').filter(([id]) => id.startsWith('Functions'))) {
      const assetDir = path.join(synth.assemblyDir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      const files = readdirSync(assetDir, { recursive: true }).map(String);
      expect(files.filter((file) => file.endsWith('.node'))).toEqual([]);
      expect(files).toContain('index.mjs');
      const bundle = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.length).toBeLessThan(50 * 1024 * 1024);
      // A static import of an absent package fails the whole module at cold start; only import() may reach one.
      const staticImports = nativeAddons.flatMap((addon) => bundle.match(new RegExp(`^import [^;\\n]*["']${addon}["'];?$`, 'gm')) ?? []);
      expect(staticImports).toEqual([]);
    }
  });
});

describe('permissions', () => {
  it('grants no service-wide action and Resource "*" only where the service has no resource-level permission', () => {
    const resourceStarActions = new Set(['ecr:GetAuthorizationToken']);
    for (const { owner, statement } of policyStatements(synth.json)) {
      for (const action of asList(statement.Action)) {
        expect(action, `${owner} grants ${action}`).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
      }
      if (asList(statement.Resource).includes('*')) {
        for (const action of asList(statement.Action)) expect(resourceStarActions, `${owner}: ${action} on *`).toContain(action);
      }
    }
  });

  it('lets preprocess read uploads, write datasets and rejections, and send train requests', () => {
    const grants = grantsOf('FunctionsPreprocessRole');
    expect(grants).toEqual(
      expect.arrayContaining([
        's3:GetObject bucket/uploads/*',
        's3:PutObject bucket/datasets/*',
        's3:PutObject bucket/rejected/*',
        's3:ListBucket bucket',
        expect.stringMatching(/^sqs:SendMessage <TrainingQueueRequests\w+\.Arn>$/),
      ]),
    );
    expect(grants.filter((grant) => /s3:(PutObject|DeleteObject) bucket\/(uploads|models|checkpoints)/.test(grant))).toEqual([]);
  });

  it('lets generate read models/, list the bucket (a missing model is a 404, not a 403) and swap latest.json, nothing else', () => {
    expect(grantsOf('FunctionsGenerateRole').filter((grant) => grant.startsWith('s3:')).sort()).toEqual([
      's3:GetObject bucket/models/*',
      's3:ListBucket bucket',
      's3:PutObject bucket/models/latest.json',
    ]);
  });

  it('lets the trainer read datasets, read and write checkpoints and models, and consume the queue', () => {
    const grants = grantsOf('TrainerServiceQueueProcessingTaskDefTaskRole');
    expect(grants).toEqual(
      expect.arrayContaining([
        's3:GetObject bucket/datasets/*',
        's3:GetObject bucket/checkpoints/*',
        's3:PutObject bucket/checkpoints/*',
        's3:GetObject bucket/models/*',
        's3:PutObject bucket/models/*',
        's3:ListBucket bucket',
        expect.stringMatching(/^sqs:ReceiveMessage <TrainingQueueRequests/),
        expect.stringMatching(/^sqs:ChangeMessageVisibility <TrainingQueueRequests/),
        expect.stringMatching(/^sqs:DeleteMessage <TrainingQueueRequests/),
      ]),
    );
    expect(grants.filter((grant) => /bucket\/(uploads|rejected)/.test(grant) || /s3:PutObject bucket\/datasets/.test(grant))).toEqual([]);
  });
});

describe('training queue', () => {
  it('parks a request in the dead-letter queue after 3 receives and hides it 15 minutes per receive', () => {
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 900,
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrainingQueueDeadLetters'), 'Arn'] } },
    });
  });

  it('denies requests without TLS on both queues', () => {
    const policies = resourcesOfType('AWS::SQS::QueuePolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('trainer', () => {
  it('scales between 0 and 1 task', () => {
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 1 });
  });

  it('scales out on a visible request and in only when nothing is visible or in flight', () => {
    const policies = resourcesOfType('AWS::ApplicationAutoScaling::ScalingPolicy').map(([, policy]) => policy.Properties);
    const adjustments = policies.map((policy) => policy.StepScalingPolicyConfiguration.StepAdjustments.map((step: any) => step.ScalingAdjustment));
    expect(adjustments.sort()).toEqual([[-1], [1]]);
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'visible + inFlight' })]),
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
    });
  });

  it('runs in public subnets without a NAT gateway', () => {
    synth.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    for (const [, subnet] of resourcesOfType('AWS::EC2::Subnet')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(true);
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
  });

  it('has 2 vCPU, 8 GB, x86-64, a 120 s stop timeout and its environment', () => {
    synth.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '2048',
      Memory: '8192',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          StopTimeout: 120,
          Environment: Match.arrayWith([
            { Name: 'BUCKET_NAME', Value: { Ref: Match.stringLikeRegexp('^DataBucketData') } },
            { Name: 'QUEUE_URL', Value: { Ref: Match.stringLikeRegexp('^TrainingQueueRequests') } },
          ]),
        }),
      ],
    });
    const [[, taskDefinition]] = resourcesOfType('AWS::ECS::TaskDefinition');
    const names = taskDefinition.Properties.ContainerDefinitions[0].Environment.map((variable: any) => variable.Name);
    expect(names).toEqual(expect.arrayContaining(['BUCKET_NAME', 'QUEUE_URL', 'TRAIN_MINUTES', 'IDLE_EXIT_SECONDS', 'LOG_LEVEL']));
  });

  it('has container insights on', () => {
    synth.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });
});

describe('HTTP API', () => {
  it('routes the generate routes and promotion, each behind IAM authorization', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
    expect(routes.map((route) => route.RouteKey).sort()).toEqual(['GET /generate', 'GET /health', 'GET /models', 'GET /openapi.json', 'POST /generate', 'POST /models/{runId}/promote']);
    for (const route of routes) expect(route.AuthorizationType).toBe('AWS_IAM');
  });

  it('logs access to a log group and throttles the stage in IAM mode too', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: iamThrottle.rateLimit, ThrottlingBurstLimit: iamThrottle.burstLimit },
    });
  });
});

describe('observability', () => {
  it('keeps every log group for a month', () => {
    const logGroups = resourcesOfType('AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThanOrEqual(4);
    for (const [, logGroup] of logGroups) expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it('alarms on a dead-lettered request and on errors of each function', () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrainingQueueDeadLetters'), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    for (const name of ['Preprocess', 'Generate']) {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp(`^Functions${name}Function`) } }],
        Threshold: 1,
      });
    }
  });

  it('outputs the bucket name, API URL, queue URL and trainer log group', () => {
    expect(Object.keys(synth.json.Outputs ?? {})).toEqual(expect.arrayContaining(['ApiUrl', 'BucketName', 'QueueUrl', 'TrainerLogGroup']));
  });
});
