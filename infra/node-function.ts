import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { repositoryRoot } from './repository-root.js';

/**
 * Native addons cannot be bundled (esbuild stops at their `.node` binaries) and do not belong in a
 * Lambda zip: the code may only reach them through a guarded dynamic `import()` that falls back to
 * pure JS, which fails cleanly at run time because the packages are absent.
 */
export const nativeAddons = ['onnxruntime-node', '@tensorflow/tfjs-node'];

/** The Node runtime of every function: the newest Lambda offers (cdk-nag AwsSolutions-L1 checks this). */
export const functionRuntime = lambda.Runtime.NODEJS_24_X;

export interface NodeFunctionProps {
  /** Entry file relative to the repository root, exporting `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
  /**
   * Concurrent executions reserved for (and the most allowed to) this function, so one caller cannot take the account's.
   * Omitted for a function only a deploy invokes: it would hold part of the account's pool for nothing.
   */
  reservedConcurrency?: number;
}

/**
 * A TypeScript Lambda bundled by the local esbuild (no Docker), with its own log group
 * and a role that may write to that log group only — callers add the rest.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole, whose logs:* covers every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (function role)`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(repositoryRoot, props.entry),
      handler: 'handler',
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      runtime: functionRuntime,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner: "import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
        // The runtime provides the AWS SDK v3; everything else but the native addons goes into the bundle.
        externalModules: ['@aws-sdk/*', ...nativeAddons],
      },
    });
  }
}
