import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantPrefixAccess } from './bucket-access.js';
import { bucketPrefixes } from './bucket-prefixes.js';
import type { TrainerCpu } from './context-flags.js';
import { repositoryRoot } from './repository-root.js';

/**
 * The build context is the repository root, but the image needs only the package files and the
 * code it runs: everything else (node_modules, cdk.out, local data) stays out of the copy `cdk synth`
 * makes and of the upload to Docker.
 */
const buildContextExcludes = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!bin',
  '!src',
  '!functions',
];

/** How long ECS waits after SIGTERM before it kills the trainer (the Fargate maximum). */
export const stopTimeout = Duration.seconds(120);

export interface TrainerServiceProps {
  bucket: s3.Bucket;
  queue: sqs.IQueue;
  logBucket: s3.IBucket;
  spot: boolean;
  logLevel: string;
  logRetention: logs.RetentionDays;
  /** Minutes one training request may run before the trainer publishes and stops. */
  trainMinutes: number;
  /** Published models kept besides the latest; older ones are deleted after each publish. */
  keepModels: number;
  /** vCPUs of the task (`rubato:trainerCpu`). */
  cpu: TrainerCpu;
}

/**
 * Memory and batch for a task of `cpu` vCPUs. 2 GB per vCPU (at least Fargate's 8 GB for 2 vCPU) holds one engine
 * worker per vCPU with room to spare (each needs well under 1 GB). The batch grows with the task so every worker
 * keeps the 16 sequences per step that keep it efficient (see `minSequencesPerWorker`); 64 is the stock recipe.
 */
export function trainerTaskSize(cpu: TrainerCpu): { cpu: number; memoryLimitMiB: number; batchSize: number } {
  return { cpu: cpu * 1024, memoryLimitMiB: Math.max(8192, cpu * 2048), batchSize: Math.max(64, cpu * 16) };
}

/**
 * The trainer: a Fargate service that runs 0 tasks while the queue is empty and 1 while there is
 * work, in a VPC with public subnets only (no NAT gateway: it costs money while idle).
 */
export class TrainerService extends Construct {
  readonly service: ecsPatterns.QueueProcessingFargateService;
  readonly vpc: ec2.Vpc;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TrainerServiceProps) {
    super(scope, id);
    const { bucket, queue } = props;
    const size = trainerTaskSize(props.cpu);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
      flowLogs: {
        Rejected: {
          destination: ec2.FlowLogDestination.toS3(props.logBucket, 'vpc-flow-logs/'),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.service = new ecsPatterns.QueueProcessingFargateService(this, 'Service', {
      cluster,
      queue,
      image: ecs.ContainerImage.fromAsset(repositoryRoot, {
        file: 'functions/trainer/Dockerfile',
        exclude: buildContextExcludes,
        // The native tfjs-node addon ships for x86-64 Linux only.
        platform: Platform.LINUX_AMD64,
      }),
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      cpu: size.cpu,
      memoryLimitMiB: size.memoryLimitMiB,
      assignPublicIp: true,
      taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      minScalingCapacity: 0,
      maxScalingCapacity: 1,
      // Scale out only here; scaling in needs the in-flight count too (see below).
      scalingSteps: [
        { upper: 0, change: 0 },
        { lower: 1, change: +1 },
      ],
      disableCpuBasedScaling: true,
      capacityProviderStrategies: props.spot
        ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]
        : [{ capacityProvider: 'FARGATE', weight: 1 }],
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'trainer', logGroup: this.logGroup }),
      circuitBreaker: { rollback: true },
      // Never two trainers at once (they would write the same checkpoints): stop the old task first.
      minHealthyPercent: 0,
      maxHealthyPercent: 100,
      environment: {
        BUCKET_NAME: bucket.bucketName,
        QUEUE_URL: queue.queueUrl,
        TRAIN_MINUTES: String(props.trainMinutes),
        KEEP_MODELS: String(props.keepModels),
        BATCH_SIZE: String(size.batchSize),
        // Longer than the scale-in alarm needs to fire, so scale-in (SIGTERM) normally stops an idle task first.
        IDLE_EXIT_SECONDS: '900',
        LOG_LEVEL: props.logLevel,
      },
    });
    // SIGTERM → SIGKILL grace: the trainer checkpoints on SIGTERM, and Fargate Spot warns 2 minutes ahead.
    const taskDefinition = this.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    taskDefinition.addPropertyOverride('ContainerDefinitions.0.StopTimeout', stopTimeout.toSeconds());
    grantPrefixAccess(bucket, this.service.taskDefinition.taskRole, {
      read: [bucketPrefixes.datasets, bucketPrefixes.checkpoints, bucketPrefixes.models],
      write: [bucketPrefixes.checkpoints, bucketPrefixes.models],
      // models/: the retention rule deletes models beyond the newest few.
      delete: [bucketPrefixes.checkpoints, bucketPrefixes.models],
      listBucket: true,
    });
    this.scaleInWhenQueueIsDrained(queue);

    Validations.of(this.service.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The environment carries only non-secret settings (bucket name, queue URL, durations, log level); the task role supplies credentials.',
    });
    if (this.service.taskDefinition.executionRole) {
      Validations.of(this.service.taskDefinition.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permissions; AWS requires Resource "*" to pull the image.',
      });
    }
  }

  /**
   * The pattern's own scale-in watches visible messages only, which drop to zero the moment the
   * trainer receives its request — it would stop every run right after it started. Scale in only
   * when nothing is visible and nothing is in flight.
   */
  private scaleInWhenQueueIsDrained(queue: sqs.IQueue): void {
    const taskCount = this.service.service.node.findChild('TaskCount');
    if (!(taskCount instanceof ecs.ScalableTaskCount)) throw new Error('QueueProcessingFargateService has no TaskCount');
    const period = Duration.minutes(1);
    taskCount.scaleOnMetric('QueueDrainedScaleIn', {
      metric: new cloudwatch.MathExpression({
        expression: 'visible + inFlight',
        usingMetrics: {
          visible: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
          inFlight: queue.metricApproximateNumberOfMessagesNotVisible({ period, statistic: 'Maximum' }),
        },
        period,
      }),
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 1, change: 0 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      evaluationPeriods: 10,
      cooldown: Duration.minutes(5),
    });
  }
}
