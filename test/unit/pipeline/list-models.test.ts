import { describe, expect, it, vi } from 'vitest';
import { keys } from '../../../src/pipeline/keys.js';
import { listModels } from '../../../src/pipeline/list-models.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

describe('listModels', () => {
  it('is empty for an empty bucket', async () => {
    expect(await listModels(temporaryStore())).toEqual({ models: [], latest: null });
  });

  it('lists every run with a manifest, newest first, marking the latest', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-old', '2026-01-01T00:00:00.000Z');
    await saveTinyModel(store, 'run-new', '2026-02-01T00:00:00.000Z');
    await store.put('models/run-half/model.json', new TextEncoder().encode('{}'));
    await publishLatest(store, 'run-old');
    const { models, latest } = await listModels(store);
    expect(latest).toBe('run-old');
    expect(models.map(({ runId, latest }) => ({ runId, latest }))).toEqual([
      { runId: 'run-new', latest: false },
      { runId: 'run-old', latest: true },
    ]);
    expect(models[0]).toMatchObject({ createdAt: '2026-02-01T00:00:00.000Z', tokenizer: 'performance', metrics: { validationNll: 3 } });
    expect(models[0]).toMatchObject({ promotion: null, data: null, startedFrom: null });
  });

  it('reads a corrupt latest.json as no latest model, and logs it', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await store.put(keys.latest, new TextEncoder().encode('{"schemaVersion":1,"runI'));
    const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

    const { models, latest } = await listModels(store, log);

    expect(latest).toBeNull();
    expect(models.map((model) => model.latest)).toEqual([false]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('unreadable'), expect.anything());
  });
});
