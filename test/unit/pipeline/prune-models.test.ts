import { describe, expect, it } from 'vitest';
import { saveModel } from '../../../src/model/model-files.js';
import { keys } from '../../../src/pipeline/keys.js';
import { readModelsIndex } from '../../../src/pipeline/models-index.js';
import { pruneModels } from '../../../src/pipeline/prune-models.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { manifestFor, randomModel, temporaryStore, tinyShape } from '../../../fixtures/model-fixtures.js';

describe('pruneModels (issue 10, item 8: models do not pile up forever)', () => {
  it('keeps the N newest unpromoted, every promoted one and the latest; deletes every object of the rest; rewrites the index', async () => {
    const store = temporaryStore();
    for (let day = 1; day <= 6; day++) await saveTinyModel(store, `run-${day}`, `2026-01-0${day}T00:00:00.000Z`);
    const promoted = manifestFor(tinyShape, { createdAt: '2026-01-02T12:00:00.000Z', promotion: { promoted: true, reason: 'promoted: better' } });
    await saveModel(store, keys.modelPrefix('run-promoted'), { parameters: randomModel(tinyShape, 1).parameters, manifest: promoted });
    await publishLatest(store, 'run-1');

    const deleted = await pruneModels(store, { keep: 3 });

    expect(deleted.sort()).toEqual(['run-2', 'run-3']);
    for (const runId of deleted) expect(await store.list(keys.modelPrefix(runId))).toEqual([]);
    expect((await store.list(keys.modelPrefix('run-1'))).length).toBeGreaterThan(0);
    expect((await readModelsIndex(store))?.models.map(({ runId }) => runId)).toEqual(['run-6', 'run-5', 'run-4', 'run-promoted', 'run-1']);
  });

  it('keeps an unpromoted shipped model however many runs are newer: a deploy publishes it again only when it changes', async () => {
    const store = temporaryStore();
    const shipped = manifestFor(tinyShape, { createdAt: '2026-01-01T00:00:00.000Z', shippedWith: '0.1.0', promotion: { promoted: false, reason: 'not promoted: shipped' } });
    await saveModel(store, keys.modelPrefix('large'), { parameters: randomModel(tinyShape, 1).parameters, manifest: shipped });
    for (let day = 2; day <= 4; day++) await saveTinyModel(store, `run-${day}`, `2026-01-0${day}T00:00:00.000Z`);

    const deleted = await pruneModels(store, { keep: 1 });

    expect(deleted.sort()).toEqual(['run-2', 'run-3']);
    expect((await store.list(keys.modelPrefix('large'))).length).toBeGreaterThan(0);
  });

  it('deletes nothing while there are no more than N unpromoted models', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    expect(await pruneModels(store, { keep: 10 })).toEqual([]);
  });
});
