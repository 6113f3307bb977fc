import { App } from 'aws-cdk-lib';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagDefaults, InvalidContextFlagError, readRubatoFlags } from '../../../infra/context-flags.js';
import { publicThrottle } from '../../../infra/http-api.js';
import { synthesizeRubato, type SynthesizedRubato } from './synth-rubato.js';

describe('context flags', () => {
  it.each([
    [{}, { spotTrainer: false, publicApi: false }],
    [{ 'rubato:spot': 'true', 'rubato:publicApi': 'false' }, { spotTrainer: true, publicApi: false }],
    [{ 'rubato:spot': false, 'rubato:publicApi': true }, { spotTrainer: false, publicApi: true }],
  ])('reads %j as %j', (context, flags) => {
    expect(readRubatoFlags(new App({ context }))).toEqual({ ...flagDefaults, ...flags });
  });

  it('rejects a value that is not true or false, naming the flag', () => {
    const app = new App({ context: { 'rubato:spot': 'yes' } });
    expect(() => readRubatoFlags(app)).toThrow(InvalidContextFlagError);
    expect(() => readRubatoFlags(app)).toThrow(/rubato:spot/);
  });
});

describe('rubato:publicApi=true and rubato:spot=true', () => {
  let synth: SynthesizedRubato;

  beforeAll(() => {
    synth = synthesizeRubato({ context: { 'rubato:publicApi': 'true', 'rubato:spot': 'true' }, templateValidation: false });
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
      'POST /models/{runId}/promote': 'AWS_IAM',
    });
  });

  it('throttles the stage', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: publicThrottle.rateLimit, ThrottlingBurstLimit: publicThrottle.burstLimit },
    });
  });

  it('runs the trainer on Fargate Spot', () => {
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
    });
  });
});
