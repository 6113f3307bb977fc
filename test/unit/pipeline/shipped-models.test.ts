import { describe, expect, it } from 'vitest';
import { committedModels } from '../../../src/model/committed-models.js';
import { modelManifestSchema, type ModelManifest } from '../../../src/model/manifest.js';
import { saveModel } from '../../../src/model/model-files.js';
import { keys } from '../../../src/pipeline/keys.js';
import { readLatest } from '../../../src/pipeline/latest-pointer.js';
import { listPublishedModels } from '../../../src/pipeline/models-index.js';
import { promoteModel } from '../../../src/pipeline/promote-model.js';
import { publishShippedModels, type ShippedModels } from '../../../src/pipeline/shipped-models.js';
import type { Store } from '../../../src/store/store.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { storedJson } from '../../support/stored-json.js';
import { manifestFor, randomModel, temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

/** A folder laid out as the repository's `models/`: `default/` and `large/`, trained at the given times, and its models. */
async function shippedSource(createdAt: { default: string; large: string }): Promise<Omit<ShippedModels, 'version'>> {
  const source = temporaryStore();
  for (const [runId, time] of Object.entries(createdAt)) {
    await saveModel(source, `${runId}/`, { parameters: randomModel(tinyShape, 1).parameters, manifest: manifestFor(tinyShape, { createdAt: time }) });
    await source.put(`${runId}/MODEL_CARD.md`, new TextEncoder().encode(`# ${runId}`));
  }
  return { source, models: committedModels(source.root) };
}

const firstRelease = { default: '2026-11-30T20:48:50.559Z', large: '2026-12-01T02:10:45.115Z' };
const retrainedDefault = { ...firstRelease, default: '2026-12-24T00:00:00.000Z' };

async function manifestOf(store: Store, runId: string): Promise<ModelManifest | undefined> {
  return storedJson(store, keys.modelPrefix(runId) + 'manifest.json', modelManifestSchema);
}

describe('publishShippedModels (issue 23: every stack starts with music)', () => {
  it('publishes default as latest and large beside it into an empty bucket, with the model card, a promotion record and the index', async () => {
    const store = temporaryStore();
    const committed = await shippedSource(firstRelease);

    const outcomes = await publishShippedModels(store, { ...committed, version: '0.1.0' });

    expect(outcomes.map(({ runId, status }) => [runId, status])).toEqual([['large', 'published'], ['default', 'published']]);
    expect((await readLatest(store)).pointer?.runId).toBe('default');
    expect((await manifestOf(store, 'default'))?.promotion).toEqual({ promoted: true, reason: 'promoted: shipped with rubato 0.1.0, served until a trained model beats it' });
    expect((await manifestOf(store, 'large'))?.promotion?.reason).toBe('not promoted: shipped with rubato 0.1.0 beside the default model; promote it to serve it');
    expect((await manifestOf(store, 'large'))?.shippedWith).toBe('0.1.0');
    expect(new TextDecoder().decode(await store.get('models/large/MODEL_CARD.md'))).toBe('# large');
    const listed = await listPublishedModels(store);
    expect(listed.models.map(({ runId, latest }) => [runId, latest])).toEqual([['large', false], ['default', true]]);
    expect(await store.get('models/index.json')).toBeDefined();
    expect(await store.list(keys.checkpointsPrefix)).toEqual([]);
  });

  it('leaves models already published from the same files alone on a restart, pointer included', async () => {
    const store = temporaryStore();
    const committed = await shippedSource(firstRelease);
    await publishShippedModels(store, { ...committed, version: '0.1.0' });
    const before = await readLatest(store);

    const outcomes = await publishShippedModels(store, { ...committed, version: '0.2.0' });

    expect(outcomes.map(({ status }) => status)).toEqual(['unchanged', 'unchanged']);
    expect((await readLatest(store)).etag).toBe(before.etag);
  });

  it('updates a retrained default and rewrites the pointer while it still names the default, so warm servers reload it', async () => {
    const store = temporaryStore();
    await publishShippedModels(store, { ...(await shippedSource(firstRelease)), version: '0.1.0' });
    const before = await readLatest(store);

    const outcomes = await publishShippedModels(store, { ...(await shippedSource(retrainedDefault)), version: '0.2.0' });

    expect(outcomes.map(({ runId, status }) => [runId, status])).toEqual([['large', 'unchanged'], ['default', 'published']]);
    expect((await manifestOf(store, 'default'))?.createdAt).toBe(retrainedDefault.default);
    const after = await readLatest(store);
    expect(after.pointer?.runId).toBe('default');
    expect(after.etag).not.toBe(before.etag);
  });

  it('never moves latest off a model the user trained', async () => {
    const store = temporaryStore();
    await publishShippedModels(store, { ...(await shippedSource(firstRelease)), version: '0.1.0' });
    await saveTinyModel(store, 'run-trained');
    await publishLatest(store, 'run-trained');

    await publishShippedModels(store, { ...(await shippedSource(retrainedDefault)), version: '0.2.0' });

    expect((await readLatest(store)).pointer?.runId).toBe('run-trained');
    expect((await manifestOf(store, 'default'))?.createdAt).toBe(retrainedDefault.default);
    expect((await manifestOf(store, 'default'))?.promotion?.reason).toBe('not promoted: shipped with rubato 0.2.0, but run-trained is served (trained or promoted by a user)');
  });

  it('never moves latest off the large model once a user promoted it', async () => {
    const store = temporaryStore();
    await publishShippedModels(store, { ...(await shippedSource(firstRelease)), version: '0.1.0' });
    await promoteModel(store, 'large');

    await publishShippedModels(store, { ...(await shippedSource(retrainedDefault)), version: '0.2.0' });

    expect((await readLatest(store)).pointer?.runId).toBe('large');
  });

  it('publishes again over a published manifest that does not read', async () => {
    const store = temporaryStore();
    const committed = await shippedSource(firstRelease);
    await publishShippedModels(store, { ...committed, version: '0.1.0' });
    await store.put('models/large/manifest.json', new TextEncoder().encode('{"schemaVersion": 1, '));

    const outcomes = await publishShippedModels(store, { ...committed, version: '0.1.0' });

    expect(outcomes.map(({ runId, status }) => [runId, status])).toEqual([['large', 'published'], ['default', 'unchanged']]);
    expect((await manifestOf(store, 'large'))?.createdAt).toBe(firstRelease.large);
  });
});
