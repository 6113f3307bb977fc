import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagDefaults, InvalidContextValueError, readRubatoFlags } from '../../../infra/context-flags.js';
import { preprocessAttempts } from '../../../infra/preprocess-failures.js';
import { asList, resourceText, statementsOfRole, synthesizeRubato, type SynthesizedRubato } from './synth-rubato.js';

/** The Lambda function whose logical id starts with `prefix`. */
function functionOf(synth: SynthesizedRubato, prefix: string): any {
  const found = Object.entries(synth.json.Resources).find(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.startsWith(prefix));
  if (!found) throw new Error(`no function ${prefix}`);
  return found[1].Properties;
}

describe('context flags for limits and alerting', () => {
  it.each([
    ['rubato:generateConcurrency', '0'],
    ['rubato:generateConcurrency', 'many'],
    ['rubato:trainDelayMinutes', '16'],
    ['rubato:alarmEmail', 'not-an-address'],
  ])('refuses %s=%s, naming the flag', (flag, value) => {
    const app = new App({ context: { [flag]: value } });
    expect(() => readRubatoFlags(app)).toThrow(InvalidContextValueError);
    expect(() => readRubatoFlags(app)).toThrow(flag);
  });
});

describe('the default stack under careless and hostile use (issue 10, item 8)', () => {
  let synth: SynthesizedRubato;
  beforeAll(() => {
    synth = synthesizeRubato({ templateValidation: false });
  });
  afterAll(() => synth && rmSync(synth.assemblyDir, { recursive: true, force: true }));

  it('reserves concurrency for every function, so one caller cannot take the account’s', () => {
    expect(functionOf(synth, 'FunctionsPreprocessFunction').ReservedConcurrentExecutions).toBe(flagDefaults.preprocessConcurrency);
    expect(functionOf(synth, 'FunctionsGenerateFunction').ReservedConcurrentExecutions).toBe(flagDefaults.generateConcurrency);
    expect(functionOf(synth, 'PreprocessFailuresRecorderFunction').ReservedConcurrentExecutions).toBe(1);
  });

  it('sends every alarm, when it fires and when it clears, to one SNS topic that only takes TLS; no e-mail by default', () => {
    const [topicId] = Object.entries(synth.json.Resources).find(([, resource]) => resource.Type === 'AWS::SNS::Topic')!;
    // The trainer's scaling alarms act on scaling policies; the PipelineAlarms are the ones for people.
    const alarms = Object.entries(synth.json.Resources)
      .filter(([id, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' && id.startsWith('Alarms'))
      .map(([, alarm]) => alarm);
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^PreprocessFailuresRecorderFunction') } }],
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it(`gives preprocess ${preprocessAttempts} attempts, then an on-failure destination that may only write rejected/`, () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^FunctionsPreprocessFunction') },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: preprocessAttempts - 1,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreprocessFailuresRecorderFunction'), 'Arn'] } } },
    });
    const grants = statementsOfRole(synth.json, 'PreprocessFailuresRecorderRole').flatMap((statement) =>
      asList(statement.Action).flatMap((action: string) => asList(statement.Resource).map((resource) => `${action} ${resourceText(resource)}`)),
    );
    const bucketGrants = grants.filter((grant) => grant.startsWith('s3:'));
    expect(bucketGrants.length).toBeGreaterThan(0);
    for (const grant of bucketGrants) expect(grant).toMatch(/\/rejected\/\*$/);
  });

  it('delays each train request 15 minutes so a burst of uploads shares one run', () => {
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      DelaySeconds: 15 * 60,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
  });

  it('tells the trainer how many models to keep and lets it delete old ones under models/ only', () => {
    synth.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'KEEP_MODELS', Value: String(flagDefaults.keepModels) }]) })],
    });
    const deletes = statementsOfRole(synth.json, 'TrainerServiceQueueProcessingTaskDefTaskRole')
      .filter((statement) => asList(statement.Action).includes('s3:DeleteObject'))
      .flatMap((statement) => asList(statement.Resource).map(resourceText));
    expect(deletes.map((resource) => resource.replace(/^<[^>]+>/, 'bucket')).sort()).toEqual(['bucket/checkpoints/*', 'bucket/models/*']);
  });
});

describe('the stack with limits and an alarm address from context flags', () => {
  let synth: SynthesizedRubato;
  beforeAll(() => {
    synth = synthesizeRubato({
      templateValidation: false,
      context: { 'rubato:generateConcurrency': '7', 'rubato:trainDelayMinutes': '0', 'rubato:alarmEmail': 'ops@example.com', 'rubato:publicApi': 'true' },
    });
  });
  afterAll(() => synth && rmSync(synth.assemblyDir, { recursive: true, force: true }));

  it('has no unacknowledged cdk-nag finding', () => {
    expect(synth.findings).toEqual([]);
  });

  it('uses the numbers given and subscribes the address to the alarm topic', () => {
    expect(functionOf(synth, 'FunctionsGenerateFunction').ReservedConcurrentExecutions).toBe(7);
    synth.template.hasResourceProperties('AWS::SQS::Queue', { DelaySeconds: 0, RedrivePolicy: Match.anyValue() });
    synth.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});
