import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShippedModelsProperties } from '../functions/publish-shipped/deploy-event.js';

/** The folder is not a `cdk synth` output of the rubato stack, or lacks a part the emulator runs. */
export class CdkAssemblyError extends Error {
  override name = 'CdkAssemblyError';
}

/** The functions `rubato emulate --bundles` runs, by the logical id prefix CDK gives their construct paths. */
const functionIds = {
  preprocess: 'FunctionsPreprocessFunction',
  generate: 'FunctionsGenerateFunction',
  publishShipped: 'ShippedModelsPublisherFunction',
} as const;
export type BundledFunctionName = keyof typeof functionIds;

/** A template value: a literal, or an intrinsic (`Ref`, `Fn::GetAtt`…) that only a deploy resolves. */
type TemplateValue = string | Record<string, unknown>;

export interface AssemblyFunction {
  /** The asset folder holding the function's `index.mjs`. */
  assetDir: string;
  environment: Record<string, TemplateValue>;
}

export interface CdkAssembly {
  functions: Record<BundledFunctionName, AssemblyFunction>;
  /** The trainer container's environment from the task definition. */
  trainerEnvironment: Record<string, TemplateValue>;
  /** The trainer image's build context as `cdk synth` staged it, and its Dockerfile within. */
  trainerImage: { directory: string; dockerFile: string };
  /** The shipped-models custom resource's properties (`SourceBucket` unresolved). */
  shippedModels: ShippedModelsProperties;
  /** Every file asset (`cdk deploy` uploads each as it is): object key → file in the assembly. */
  fileAssets: Map<string, string>;
}

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
}

/**
 * Reads what a deploy of `cdk.out` would run: each function's bundle folder and environment, the trainer's
 * environment, the shipped-models resource and the file assets it names.
 *
 * @example
 * const assembly = readCdkAssembly('cdk.out'); // assembly.functions.generate.assetDir → 'cdk.out/asset.fcfe…'
 */
export function readCdkAssembly(cdkOut: string, stackName = 'Rubato'): CdkAssembly {
  const templateFile = join(cdkOut, `${stackName}.template.json`);
  if (!existsSync(templateFile)) throw new CdkAssemblyError(`${templateFile} does not exist: run npx cdk synth first (or pass the folder it wrote)`);
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as Template;
  const resources = Object.entries(template.Resources);
  const resourceOf = (prefix: string, type: string) => {
    const found = resources.find(([id, resource]) => resource.Type === type && id.startsWith(prefix));
    if (!found) throw new CdkAssemblyError(`${templateFile} has no ${type} ${prefix}…: is it the rubato stack of this version?`);
    return found[1].Properties;
  };
  const functionOf = (prefix: string): AssemblyFunction => {
    const properties = resourceOf(prefix, 'AWS::Lambda::Function');
    const assetDir = join(cdkOut, `asset.${String(properties.Code.S3Key).replace(/\.zip$/, '')}`);
    if (!existsSync(join(assetDir, 'index.mjs'))) throw new CdkAssemblyError(`${assetDir}/index.mjs is missing: the ${prefix} bundle was not written`);
    return { assetDir, environment: properties.Environment?.Variables ?? {} };
  };
  const [, taskDefinition] = resources.find(([, resource]) => resource.Type === 'AWS::ECS::TaskDefinition') ?? [];
  if (!taskDefinition) throw new CdkAssemblyError(`${templateFile} has no trainer task definition`);
  const container = taskDefinition.Properties.ContainerDefinitions[0] as { Environment?: Array<{ Name: string; Value: TemplateValue }> };
  const functions = {
    preprocess: functionOf(functionIds.preprocess),
    generate: functionOf(functionIds.generate),
    publishShipped: functionOf(functionIds.publishShipped),
  };
  const assets = JSON.parse(readFileSync(join(cdkOut, `${stackName}.assets.json`), 'utf8')) as AssetManifest;
  return {
    functions,
    trainerEnvironment: Object.fromEntries((container.Environment ?? []).map(({ Name, Value }) => [Name, Value])),
    trainerImage: trainerImageOf(assets, cdkOut, stackName),
    shippedModels: resourceOf('ShippedModels', 'Custom::RubatoShippedModels') as ShippedModelsProperties,
    fileAssets: fileAssetsOf(assets, cdkOut),
  };
}

/** The parts of `<stack>.assets.json` read here: what `cdk deploy` uploads, and from where. */
interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }>;
  dockerImages?: Record<string, { source: { directory: string; dockerFile?: string } }>;
}

function trainerImageOf(assets: AssetManifest, cdkOut: string, stackName: string): { directory: string; dockerFile: string } {
  const [image] = Object.values(assets.dockerImages ?? {});
  if (!image) throw new CdkAssemblyError(`${stackName}.assets.json names no container image: is it the rubato stack of this version?`);
  return { directory: join(cdkOut, image.source.directory), dockerFile: image.source.dockerFile ?? 'Dockerfile' };
}

function fileAssetsOf(assets: AssetManifest, cdkOut: string): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const { source, destinations } of Object.values(assets.files)) {
    if (source.packaging === 'zip') continue;
    for (const { objectKey } of Object.values(destinations)) byKey.set(objectKey, join(cdkOut, source.path));
  }
  return byKey;
}

/**
 * A function's environment with the stack's references replaced by the emulated resources they name (`BUCKET_NAME`,
 * `QUEUE_URL`, `QUEUE_NAME`). A reference the emulator cannot stand in for is an error, not a silent gap.
 *
 * @example
 * resolveEnvironment(assembly.functions.preprocess.environment, { BUCKET_NAME: 'rubato-data', QUEUE_URL: queueUrl });
 */
export function resolveEnvironment(environment: Record<string, TemplateValue>, references: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      const resolved = references[name];
      if (resolved === undefined) throw new CdkAssemblyError(`environment variable ${name} is ${JSON.stringify(value)}: the emulator has no stand-in for it`);
      return [name, resolved];
    }),
  );
}
