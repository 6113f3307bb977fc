import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../functions/publish-shipped/deploy-event.js';
import { DeployEventError } from '../../../functions/publish-shipped/deploy-event.js';
import { createPublishShippedHandler, shippedModelsResourceId } from '../../../functions/publish-shipped/publish-shipped-handler.js';
import { createLogger } from '../../../src/log/logger.js';
import { saveModel } from '../../../src/model/model-files.js';
import { readLatest } from '../../../src/pipeline/latest-pointer.js';
import type { ShippedModel } from '../../../src/pipeline/shipped-models.js';
import type { Store } from '../../../src/store/store.js';
import { manifestFor, randomModel, temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

/** An asset bucket as `cdk deploy` fills it: each file under its content-hash key. */
async function assetBucket(): Promise<{ source: Store; models: ShippedModel[] }> {
  const source = temporaryStore();
  const models: ShippedModel[] = [];
  for (const runId of ['default', 'large']) {
    const folder = temporaryStore();
    await saveModel(folder, '', { parameters: randomModel(tinyShape, 1).parameters, manifest: manifestFor(tinyShape) });
    const files = [];
    for (const { key: name } of await folder.list('')) {
      const key = `${runId}-hash-${name}`;
      await source.put(key, (await folder.get(name))!);
      files.push({ name, key });
    }
    models.push({ runId, files });
  }
  return { source, models };
}

function deployEvent(requestType: DeployEvent['RequestType'], models: unknown): DeployEvent {
  return {
    RequestType: requestType,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: shippedModelsResourceId }),
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:…', Version: '0.1.0', SourceBucket: 'cdk-assets', Models: typeof models === 'string' ? models : JSON.stringify(models) },
  };
}

describe('publish-shipped custom resource handler', () => {
  const log = createLogger('rubato-publish-shipped', 'SILENT');

  it('on Create publishes the models from the named asset bucket, default as latest', async () => {
    const store = temporaryStore();
    const { source, models } = await assetBucket();
    const buckets: string[] = [];
    const handler = createPublishShippedHandler({ store, sourceStore: (bucket) => (buckets.push(bucket), source), log });

    const response = await handler(deployEvent('Create', models));

    expect(response).toEqual({ PhysicalResourceId: shippedModelsResourceId, Data: { Published: 'large,default' } });
    expect(buckets).toEqual(['cdk-assets']);
    expect((await readLatest(store)).pointer?.runId).toBe('default');
    expect(await store.head('models/large/model.json')).toBeDefined();
  });

  it('on Delete leaves the bucket as it is: the models outlive the stack', async () => {
    const store = temporaryStore();
    const handler = createPublishShippedHandler({ store, sourceStore: () => temporaryStore(), log });

    const response = await handler(deployEvent('Delete', 'not even read'));

    expect(response).toEqual({ PhysicalResourceId: shippedModelsResourceId });
    expect(await store.list('')).toEqual([]);
  });

  it.each([
    ['Models that is not JSON', '[{', 'ResourceProperties.Models is not JSON'],
    ['a run id with a slash', [{ runId: 'a/b', files: [{ name: 'model.json', key: 'k' }] }], 'ResourceProperties.Models: 0.runId'],
    ['a file name with a path', [{ runId: 'default', files: [{ name: '../latest.json', key: 'k' }] }], 'ResourceProperties.Models: 0.files.0.name'],
  ])('refuses an Update with %s, naming the property', async (_case, models, message) => {
    const handler = createPublishShippedHandler({ store: temporaryStore(), sourceStore: () => temporaryStore(), log });

    const update = handler(deployEvent('Update', models));

    await expect(update).rejects.toBeInstanceOf(DeployEventError);
    await expect(update).rejects.toThrow(message);
  });
});
