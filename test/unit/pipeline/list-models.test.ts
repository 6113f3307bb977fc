import { describe, expect, it } from 'vitest';
import { listModels } from '../../../src/pipeline/list-models.js';
import { publishLatest, saveTinyModel } from '../../support/published-model.js';
import { temporaryStore } from '../model/model-fixtures.js';

describe('listModels', () => {
  it('is empty for an empty bucket', async () => {
    expect(await listModels(temporaryStore())).toEqual([]);
  });

  it('lists every run with a manifest, newest first, marking the latest', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-old', '2026-01-01T00:00:00.000Z');
    await saveTinyModel(store, 'run-new', '2026-02-01T00:00:00.000Z');
    await store.put('models/run-half/model.json', new TextEncoder().encode('{}'));
    await publishLatest(store, 'run-old');
    const models = await listModels(store);
    expect(models.map(({ runId, latest }) => ({ runId, latest }))).toEqual([
      { runId: 'run-new', latest: false },
      { runId: 'run-old', latest: true },
    ]);
    expect(models[0]).toMatchObject({ createdAt: '2026-02-01T00:00:00.000Z', tokenizer: 'performance', metrics: { validationNll: 3 } });
  });
});
