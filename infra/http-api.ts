import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Routes served by the generate function; `alwaysIam` routes change what is served and never open up in public mode. */
export const generateRoutes: readonly { path: string; method: apigw.HttpMethod; alwaysIam?: true }[] = [
  { path: '/generate', method: apigw.HttpMethod.GET },
  { path: '/generate', method: apigw.HttpMethod.POST },
  { path: '/models', method: apigw.HttpMethod.GET },
  { path: '/models/{runId}/promote', method: apigw.HttpMethod.POST, alwaysIam: true },
  { path: '/health', method: apigw.HttpMethod.GET },
  { path: '/openapi.json', method: apigw.HttpMethod.GET },
];

/**
 * Stage throttling of the public mode: generation costs a second of Lambda CPU per call. HTTP APIs throttle per stage
 * and route only, never per client (no usage plans, no AWS WAF), so this rate is shared by all callers; see README.
 */
export const publicThrottle = { rateLimit: 5, burstLimit: 10 } as const;

/** Stage throttling of the IAM mode: signed callers are trusted, but one runaway script must not run up the bill. */
export const iamThrottle = { rateLimit: 20, burstLimit: 40 } as const;

/** One JSON line per request, from HTTP API context variables. */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
};

export interface GenerateApiProps {
  handler: lambda.IFunction;
  /** No authorization on reading and generating, throttled instead; otherwise every route needs a SigV4-signed request. Promotion always does. */
  public: boolean;
  logRetention: logs.RetentionDays;
}

/** The HTTP API in front of the generate function, with access logs. */
export class GenerateApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GenerateApiProps) {
    super(scope, id);

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'rubato: generate MIDI from the newest model',
      createDefaultStage: false,
      defaultAuthorizer: props.public ? undefined : new HttpIamAuthorizer(),
    });
    const integration = new HttpLambdaIntegration('Generate', props.handler);
    for (const route of generateRoutes) {
      this.api.addRoutes({ path: route.path, methods: [route.method], integration, ...(route.alwaysIam ? { authorizer: new HttpIamAuthorizer() } : {}) });
    }
    if (props.public) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public mode is an explicit opt-in (-c rubato:publicApi=true) for a demo endpoint; stage throttling bounds the cost.',
      });
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.public ? publicThrottle : iamThrottle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
  }
}
