import { describe, expect, it } from 'vitest';
import { listModels } from '../../../src/pipeline/list-models.js';
import { listPublishedModels, modelsIndexKey, readModelsIndex, writeModelsIndex } from '../../../src/pipeline/models-index.js';
import type { Store } from '../../../src/store/store.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

/** Counts the store's GETs: the point of the index is how few `GET /models` needs. */
function countingGets(store: Store): { store: Store; gets: () => number } {
  let gets = 0;
  const counted = Object.create(store) as Store;
  counted.get = (key) => ((gets += 1), store.get(key));
  return { store: counted, gets: () => gets };
}

const month = (index: number) => `2026-${String(index).padStart(2, '0')}-01T00:00:00.000Z`;

describe('models index (issue 10, item 8: GET /models without one GET per model)', () => {
  it('serves the same list as reading every manifest, from the index and the pointer: two GETs for 12 models', async () => {
    const store = temporaryStore();
    for (let index = 1; index <= 12; index++) await saveTinyModel(store, `run-${index}`, month(index));
    await publishLatest(store, 'run-3');
    await writeModelsIndex(store);
    const counted = countingGets(store);

    const listed = await listPublishedModels(counted.store);

    expect(listed).toEqual(await listModels(store));
    expect(counted.gets()).toBe(2);
  });

  it('follows a pointer moved after the index was written (latest is not stored in it)', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a', month(1));
    await saveTinyModel(store, 'run-b', month(2));
    await publishLatest(store, 'run-b');
    await writeModelsIndex(store);
    await publishLatest(store, 'run-a');

    const listed = await listPublishedModels(store);

    expect(listed.models.map(({ runId, latest }) => [runId, latest])).toEqual([
      ['run-b', false],
      ['run-a', true],
    ]);
    expect(listed.latest).toBe('run-a');
  });

  it('reads every manifest when a model was published without rewriting the index, or there is none, or it is unreadable', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a', month(1));
    expect((await listPublishedModels(store)).models.map(({ runId }) => runId)).toEqual(['run-a']);

    await writeModelsIndex(store);
    await saveTinyModel(store, 'run-b', month(2));
    expect((await listPublishedModels(store)).models.map(({ runId }) => runId)).toEqual(['run-b', 'run-a']);

    await store.put(modelsIndexKey, new TextEncoder().encode('{"schemaVersion": 2, "models": "many"}'));
    expect(await readModelsIndex(store)).toBeUndefined();
    expect((await listPublishedModels(store)).models.map(({ runId }) => runId)).toEqual(['run-b', 'run-a']);
  });
});
