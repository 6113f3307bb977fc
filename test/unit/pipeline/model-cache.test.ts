import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../src/pipeline/keys.js';
import { ModelCache } from '../../../src/pipeline/model-cache.js';
import type { FsStore } from '../../../src/store/fs-store.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';

describe('ModelCache', () => {
  let store: FsStore;
  let clock: number;
  let cache: ModelCache;
  const now = () => clock;

  beforeEach(async () => {
    store = temporaryStore();
    clock = 1_000_000;
    cache = new ModelCache(store, { pointerTtlMs: 5000, now });
    await saveTinyModel(store, 'run-a', '2026-01-01T00:00:00.000Z', 1);
    await saveTinyModel(store, 'run-b', '2026-01-02T00:00:00.000Z', 2);
  });

  it('throws no-model (503) while nothing is published', async () => {
    await expect(cache.get('latest')).rejects.toMatchObject({ code: 'no-model', status: 503 });
  });

  it('loads the latest model once and serves the same one to warm calls', async () => {
    await publishLatest(store, 'run-a');
    const get = vi.spyOn(store, 'get');
    const first = await cache.get('latest');
    const reads = get.mock.calls.length;
    clock += 1000;
    const second = await cache.get('latest');
    expect(first.runId).toBe('run-a');
    expect(second).toBe(first);
    expect(get.mock.calls.length).toBe(reads);
  });

  it('does not see a new latest.json inside the check interval, and reloads after it', async () => {
    await publishLatest(store, 'run-a');
    expect((await cache.get('latest')).runId).toBe('run-a');
    await publishLatest(store, 'run-b');
    clock += 4999;
    expect((await cache.get('latest')).runId).toBe('run-a');
    clock += 1;
    expect((await cache.get('latest')).runId).toBe('run-b');
  });

  it('reloads a runId published again (same runId, new publishedAt)', async () => {
    await publishLatest(store, 'run-a', '2026-01-01T00:00:00.000Z');
    const first = await cache.get('latest');
    await saveTinyModel(store, 'run-a', '2026-01-03T00:00:00.000Z', 9);
    await publishLatest(store, 'run-a', '2026-01-03T00:00:00.000Z');
    clock += 5000;
    const second = await cache.get('latest');
    expect(second).not.toBe(first);
    expect(second.model.parameters).not.toEqual(first.model.parameters);
  });

  it('serves a named runId, keeps two models, and evicts the least recently used', async () => {
    const load = vi.spyOn(store, 'head');
    await saveTinyModel(store, 'run-c');
    const a = await cache.get('run-a');
    await cache.get('run-b');
    expect(await cache.get('run-a')).toBe(a);
    await cache.get('run-c'); // evicts run-b
    expect(await cache.get('run-a')).toBe(a);
    await cache.get('run-b');
    expect(load.mock.calls.map(([key]) => key)).toEqual([
      `${keys.modelPrefix('run-a')}manifest.json`,
      `${keys.modelPrefix('run-b')}manifest.json`,
      `${keys.modelPrefix('run-c')}manifest.json`,
      `${keys.modelPrefix('run-b')}manifest.json`,
    ]);
  });

  it('throws model-not-found (404) for an unknown runId and tries again next time', async () => {
    await expect(cache.get('run-x')).rejects.toMatchObject({ code: 'model-not-found', status: 404 });
    await saveTinyModel(store, 'run-x');
    expect((await cache.get('run-x')).runId).toBe('run-x');
  });

  it('loads a model once for concurrent first requests', async () => {
    await publishLatest(store, 'run-a');
    const head = vi.spyOn(store, 'head');
    const [one, two] = await Promise.all([cache.get('run-b'), cache.get('run-b')]);
    expect(one).toBe(two);
    expect(head).toHaveBeenCalledTimes(1);
  });

  it('keeps no pointer read that began before forgetLatest: the next request reads the promoted one', async () => {
    await publishLatest(store, 'run-a');
    const reading = cache.latest(); // a request in flight when the promotion lands
    cache.forgetLatest();
    expect((await reading)?.runId).toBe('run-a');
    await publishLatest(store, 'run-b');

    expect((await cache.get('latest')).runId).toBe('run-b');
  });

  describe.each([
    ['manifest.json', '{"schemaVersion": 1, "shape": '],
    ['model.json', '{"weightsManifest": "none"}'],
  ])('a model whose %s is damaged (issue 24, item 4)', (file, text) => {
    it('is served as the shipped default, saying which model it stands in for and why, read once', async () => {
      await saveTinyModel(store, 'default', '2026-01-01T00:00:00.000Z', 3);
      await publishLatest(store, 'run-a');
      await store.put(keys.modelPrefix('run-a') + file, new TextEncoder().encode(text));

      const get = vi.spyOn(store, 'get');
      const served = [await cache.get('latest'), await cache.get('latest'), await cache.get('run-a')];

      expect(served.map((model) => model.runId)).toEqual(['default', 'default', 'default']);
      expect(served.map((model) => model.standsInFor)).toEqual(Array(3).fill({ runId: 'run-a', key: `models/run-a/${file}`, reason: expect.any(String) }));
      expect(served[1]).toBe(served[0]);
      expect(get.mock.calls.filter(([key]) => key === `models/run-a/${file}`)).toHaveLength(2); // once as latest, once by name
    });

    it('answers 503 no-model, naming the file, when the shipped default is damaged too', async () => {
      await saveTinyModel(store, 'default', '2026-01-01T00:00:00.000Z', 3);
      await publishLatest(store, 'run-a');
      await store.put(keys.modelPrefix('run-a') + file, new TextEncoder().encode(text));
      await store.put(keys.modelPrefix('default') + file, new TextEncoder().encode(text));

      await expect(cache.get('latest')).rejects.toMatchObject({ code: 'no-model', status: 503, message: expect.stringContaining(`models/default/${file}`) });
      await expect(cache.get('default')).rejects.toMatchObject({ code: 'no-model', status: 503 });
    });
  });
});
