import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedModelsResourceType } from '../../../infra/shipped-models.js';
import { committedModelsDir, packageVersion } from '../../../src/model/committed-models.js';
import type { ShippedModel } from '../../../src/pipeline/shipped-models.js';
import { asList, resourceText, statementsOfRole, synthesizeRubato, type SynthesizedRubato } from './synth-rubato.js';

let synth: SynthesizedRubato;

beforeAll(() => {
  synth = synthesizeRubato({ templateValidation: false });
});

afterAll(() => synth && rmSync(synth.assemblyDir, { recursive: true, force: true }));

function resourceOf(prefix: string, type: string): [string, any] {
  const found = Object.entries(synth.json.Resources).find(([id, resource]) => resource.Type === type && id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}* in the template`);
  return found;
}

function shippedProperties(): { Version: string; SourceBucket: unknown; Models: string } {
  const [, resource] = resourceOf('ShippedModels', shippedModelsResourceType);
  return resource.Properties;
}

/** File assets of the assembly by object key: the file `cdk deploy` uploads under that key. */
function fileAssetsByKey(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(synth.assemblyDir, 'Rubato.assets.json'), 'utf8'));
  const byKey = new Map<string, string>();
  for (const asset of Object.values<any>(manifest.files)) {
    for (const destination of Object.values<any>(asset.destinations)) byKey.set(destination.objectKey, path.join(synth.assemblyDir, asset.source.path));
  }
  return byKey;
}

describe('shipped models on deploy (issue 23: every stack starts with music)', () => {
  it('names every file of models/default and models/large, each a file asset holding exactly the committed bytes', () => {
    const models = JSON.parse(shippedProperties().Models) as ShippedModel[];
    const assets = fileAssetsByKey();

    expect(models.map(({ runId }) => runId).sort()).toEqual(['default', 'large']);
    for (const { runId, files } of models) {
      expect(files.map(({ name }) => name).sort()).toEqual(readdirSync(path.join(committedModelsDir, runId)).sort());
      for (const { name, key } of files) {
        const uploaded = assets.get(key);
        expect(uploaded, `${runId}/${name}`).toBeDefined();
        expect(readFileSync(uploaded!).equals(readFileSync(path.join(committedModelsDir, runId, name)))).toBe(true);
      }
    }
  });

  it('records the package version and reads from the CDK asset bucket', () => {
    const properties = shippedProperties();

    expect(properties.Version).toBe(packageVersion());
    expect(properties.SourceBucket).toEqual({ 'Fn::Sub': expect.stringMatching(/^cdk-[a-z0-9]+-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}$/) });
  });

  it('runs the publisher through the provider framework, after the data bucket exists', () => {
    const [, resource] = resourceOf('ShippedModels', shippedModelsResourceType);
    const [frameworkId] = resourceOf('ShippedModelsProviderframeworkonEvent', 'AWS::Lambda::Function');
    const [, publisher] = resourceOf('ShippedModelsPublisherFunction', 'AWS::Lambda::Function');

    expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [frameworkId, 'Arn'] });
    expect(publisher.Properties.Environment.Variables.BUCKET_NAME).toEqual({ Ref: expect.stringMatching(/^DataBucketData/) });
    expect(publisher.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('lets the publisher read only the model files of the asset bucket and write only models/ and its staging under checkpoints/', () => {
    const [bucketId] = resourceOf('DataBucketData', 'AWS::S3::Bucket');
    const grants = statementsOfRole(synth.json, 'ShippedModelsPublisherRole').flatMap((statement) =>
      asList(statement.Action).flatMap((action: string) => asList(statement.Resource).map((resource) => `${action} ${resourceText(resource).replace(`<${bucketId}.Arn>`, 'bucket')}`)),
    );
    const modelFiles = (JSON.parse(shippedProperties().Models) as ShippedModel[]).flatMap(({ files }) => files);

    const assetReads = grants.filter((grant) => grant.startsWith('s3:GetObject arn:'));
    // Files with the same bytes (both models list the same training files) are one asset.
    expect(assetReads).toHaveLength(new Set(modelFiles.map(({ key }) => key)).size);
    for (const { key } of modelFiles) expect(assetReads.some((grant) => grant.endsWith(`/${key}`))).toBe(true);
    expect(grants.filter((grant) => !grant.startsWith('s3:GetObject arn:')).filter((grant) => grant.includes('bucket')).sort()).toEqual([
      's3:DeleteObject bucket/checkpoints/*',
      's3:GetObject bucket/checkpoints/*',
      's3:GetObject bucket/models/*',
      's3:ListBucket bucket',
      's3:PutObject bucket/checkpoints/*',
      's3:PutObject bucket/models/*',
    ]);
  });

  it('keeps the weights out of the publisher zip: one small index.mjs', () => {
    const [, publisher] = resourceOf('ShippedModelsPublisherFunction', 'AWS::Lambda::Function');
    const folder = path.join(synth.assemblyDir, `asset.${publisher.Properties.Code.S3Key.replace(/\.zip$/, '')}`);

    expect(readdirSync(folder)).toEqual(['index.mjs']);
    expect(statSync(path.join(folder, 'index.mjs')).size).toBeLessThan(2 * 1024 * 1024);
  });
});
