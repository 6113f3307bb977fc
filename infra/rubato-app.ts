import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readRubatoFlags } from './context-flags.js';
import { RubatoStack } from './rubato-stack.js';

/** Name of the CloudFormation stack. */
export const stackName = 'Rubato';

/**
 * Adds the rubato stack to an app, with the cdk-nag AwsSolutions checks: synthesis fails on any
 * finding that is not acknowledged with a reason. The stack is environment-agnostic (no lookups),
 * so `cdk synth` needs no credentials.
 *
 * @example defineRubatoApp(new App({ context: { 'rubato:publicApi': true } }))
 */
export function defineRubatoApp(app: App): RubatoStack {
  const stack = new RubatoStack(app, stackName, {
    description: 'rubato: learns to play piano from MIDI files (S3, Lambda, SQS, Fargate, HTTP API)',
    flags: readRubatoFlags(app),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
