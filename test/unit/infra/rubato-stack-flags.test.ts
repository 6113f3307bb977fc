import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagDefaults, InvalidContextFlagError, InvalidContextValueError, readRubatoFlags } from '../../../infra/context-flags.js';
import { publicThrottle } from '../../../infra/http-api.js';
import { trainerTaskSize } from '../../../infra/trainer-service.js';
import { synthesizeRubato, type SynthesizedRubato } from './synth-rubato.js';

describe('context flags', () => {
  it.each([
    [{}, { spotTrainer: false, publicApi: false, trainerCpu: 2 }],
    [{ 'rubato:spot': 'true', 'rubato:publicApi': 'false', 'rubato:trainerCpu': '8' }, { spotTrainer: true, publicApi: false, trainerCpu: 8 }],
    [{ 'rubato:spot': false, 'rubato:publicApi': true, 'rubato:trainerCpu': 16 }, { spotTrainer: false, publicApi: true, trainerCpu: 16 }],
  ])('reads %j as %j', (context, flags) => {
    expect(readRubatoFlags(new App({ context }))).toEqual({ ...flagDefaults, ...flags });
  });

  it('rejects a value that is not true or false, naming the flag', () => {
    const app = new App({ context: { 'rubato:spot': 'yes' } });
    expect(() => readRubatoFlags(app)).toThrow(InvalidContextFlagError);
    expect(() => readRubatoFlags(app)).toThrow(/rubato:spot/);
  });

  it.each(['1', '3', '32', 'eight', 4.5])('rejects rubato:trainerCpu=%j, naming the flag and the sizes it takes', (value) => {
    const app = new App({ context: { 'rubato:trainerCpu': value } });
    expect(() => readRubatoFlags(app)).toThrow(InvalidContextValueError);
    expect(() => readRubatoFlags(app)).toThrow(/rubato:trainerCpu must be one of 2, 4, 8, 16/);
  });
});

describe('trainerTaskSize', () => {
  it.each([
    [2, { cpu: 2048, memoryLimitMiB: 8192, batchSize: 64 }],
    [4, { cpu: 4096, memoryLimitMiB: 8192, batchSize: 64 }],
    [8, { cpu: 8192, memoryLimitMiB: 16384, batchSize: 128 }],
    [16, { cpu: 16384, memoryLimitMiB: 32768, batchSize: 256 }],
  ] as const)('%i vCPU → %j (a valid Fargate size)', (cpu, size) => {
    expect(trainerTaskSize(cpu)).toEqual(size);
  });
});

describe('rubato:publicApi=true, rubato:spot=true and rubato:trainerCpu=8', () => {
  let synth: SynthesizedRubato;

  beforeAll(() => {
    synth = synthesizeRubato({ context: { 'rubato:publicApi': 'true', 'rubato:spot': 'true', 'rubato:trainerCpu': '8' }, templateValidation: false });
  });

  afterAll(() => synth && rmSync(synth.assemblyDir, { recursive: true, force: true }));

  it('has no unacknowledged cdk-nag finding', () => {
    if (synth.findings.length > 0) console.error(`cdk-nag findings:\n${synth.findings.join('\n')}`);
    expect(synth.findings).toEqual([]);
  });

  it('serves reading and generating without authorization, and promotion only behind IAM', () => {
    const routes = Object.values(synth.json.Resources).filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route');
    const authorization = Object.fromEntries(routes.map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType]));
    expect(authorization).toEqual({
      'GET /generate': 'NONE',
      'POST /generate': 'NONE',
      'GET /models': 'NONE',
      'GET /health': 'NONE',
      'GET /openapi.json': 'NONE',
      'POST /models/{runId}/promote': 'AWS_IAM',
    });
  });

  it('throttles the stage', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: publicThrottle.rateLimit, ThrottlingBurstLimit: publicThrottle.burstLimit },
    });
  });

  it('sizes the trainer task at 8 vCPU, 16 GB, batch 128', () => {
    synth.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '8192',
      Memory: '16384',
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'BATCH_SIZE', Value: '128' }]) })],
    });
  });

  it('runs the trainer on Fargate Spot', () => {
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
    });
  });
});
