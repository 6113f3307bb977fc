import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineRubatoApp, stackName } from '../../../infra/rubato-app.js';
import { repositoryRoot } from '../../../infra/repository-root.js';

/** One synthesized Rubato app: the template, where its assets are, and unacknowledged cdk-nag findings. */
export interface SynthesizedRubato {
  template: Template;
  /** The raw template, for scans over every resource. */
  json: { Resources: Record<string, { Type: string; Properties?: any }>; Outputs?: Record<string, any> };
  assemblyDir: string;
  /** `rule at construct path` for every violation a validation plugin reported. */
  findings: string[];
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

export interface SynthesisOptions {
  /** `-c` flags on top of cdk.json's context. */
  context?: Record<string, string>;
  /**
   * CDK's own CloudFormation template validation, on in `cdk synth`. It takes most of the synthesis
   * time (seconds), so one test file runs it and the others skip it.
   */
  templateValidation?: boolean;
}

/**
 * Synthesizes the app as `cdk synth` would — the feature flags of cdk.json, the cdk-nag plugin —
 * into a temporary directory outside the repository (the trainer's build context is the repository).
 */
export function synthesizeRubato({ context = {}, templateValidation = true }: SynthesisOptions = {}): SynthesizedRubato {
  const cdkJson = JSON.parse(readFileSync(path.join(repositoryRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const assemblyDir = mkdtempSync(path.join(tmpdir(), 'rubato-cdk-'));
  const app = new App({
    outdir: assemblyDir,
    context: { ...cdkJson.context, ...context },
    builtinCloudFormationValidation: templateValidation,
  });
  defineRubatoApp(app);
  try {
    app.synth();
  } catch (error) {
    // A nag finding fails synthesis after the template is written; the report lists the findings.
    if (!existsSync(path.join(assemblyDir, 'validation-report.json'))) throw error;
  }
  const json = JSON.parse(readFileSync(path.join(assemblyDir, `${stackName}.template.json`), 'utf8'));
  return { template: Template.fromJSON(json), json, assemblyDir, findings: readFindings(assemblyDir) };
}

function readFindings(assemblyDir: string): string[] {
  const reportFile = path.join(assemblyDir, 'validation-report.json');
  if (!existsSync(reportFile)) return [];
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${plugin.pluginName}: ${violation.ruleName} at ${construct.constructPath}`),
    ),
  );
}

/** Every IAM policy statement in the template, with the logical id of the policy or role holding it. */
export function policyStatements(json: SynthesizedRubato['json']): { owner: string; statement: any }[] {
  const statements: { owner: string; statement: any }[] = [];
  for (const [logicalId, resource] of Object.entries(json.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy') {
      for (const statement of resource.Properties.PolicyDocument.Statement) statements.push({ owner: logicalId, statement });
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of resource.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) statements.push({ owner: logicalId, statement });
      }
    }
  }
  return statements;
}

/** The statements of the policies attached to roles whose logical id starts with `rolePrefix`. */
export function statementsOfRole(json: SynthesizedRubato['json'], rolePrefix: string): any[] {
  return Object.values(json.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((policy) => policy.Properties.Roles.some((role: { Ref?: string }) => role.Ref?.startsWith(rolePrefix)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** A list of one or more values as CloudFormation writes it. */
export function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** A statement's resource as readable text: `Fn::GetAtt`/`Ref` become `<LogicalId.Attr>`, joins are flattened. */
export function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const intrinsic = resource as Record<string, any>;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(resourceText).join(intrinsic['Fn::Join'][0]);
  return JSON.stringify(resource);
}
