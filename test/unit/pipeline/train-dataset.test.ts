import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradientEngine } from '../../../src/model/engine/engine.js';
import { selectEngine } from '../../../src/model/engine/select-engine.js';
import { modelManifestSchema } from '../../../src/model/manifest.js';
import { keys } from '../../../src/pipeline/keys.js';
import { readLatest } from '../../../src/pipeline/latest-pointer.js';
import { trainDataset, type TrainDatasetOptions, type TrainDatasetOutcome } from '../../../src/pipeline/train-dataset.js';
import { MemoryQueue } from '../../../src/queue/memory-queue.js';
import { putJson } from '../../../src/store/json.js';
import type { Store } from '../../../src/store/store.js';
import { storedJson } from '../../support/stored-json.js';
import { tinyTraining, uploadScales } from '../../support/tiny-trainer.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

let engine: GradientEngine;
const options = (store: Store, overrides: Partial<TrainDatasetOptions> = {}): TrainDatasetOptions => ({ store, ...tinyTraining, engine, ...overrides });
const manifestOf = (store: Store, runId: string) => storedJson(store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema);
const runIdOf = (outcome: TrainDatasetOutcome) => ('runId' in outcome ? outcome.runId : 'none');

async function storeWithScales(): Promise<Store> {
  const store = temporaryStore();
  await uploadScales(store, new MemoryQueue(), 4);
  return store;
}

describe('trainDataset: model lifecycle', () => {
  beforeAll(async () => {
    engine = await selectEngine({ ...tinyTraining.shape, vocabSize: 388 }, { engine: 'fast', workers: 1, log: () => {} });
  });
  afterAll(() => engine.dispose());

  it('publishes a worse run without promoting it and says why; the next run fine-tunes the latest', async () => {
    const store = await storeWithScales();
    const good = await trainDataset(options(store, { maxSteps: 60 }));
    const worse = await trainDataset(options(store, { maxSteps: 1, fromScratch: true }));
    const tuned = await trainDataset(options(store, { maxSteps: 20 }));

    expect(good).toMatchObject({ status: 'published', promotion: { promoted: true, reason: 'promoted: no model was published before' } });
    expect(worse).toMatchObject({ status: 'published', promotion: { promoted: false } });
    const reason = (worse as { promotion: { reason: string } }).promotion.reason;
    expect(reason).toMatch(new RegExp(`^not promoted: validation NLL \\d+\\.\\d{3} is not better than the latest model's \\(${runIdOf(good)}\\) \\d+\\.\\d{3} on the same [\\d,]+ validation events$`));
    expect((await manifestOf(store, runIdOf(worse)))).toMatchObject({ promotion: { promoted: false, reason }, startedFrom: null, data: { files: 4 } });
    expect((await manifestOf(store, runIdOf(tuned)))).toMatchObject({ startedFrom: runIdOf(good) });
    expect((await manifestOf(store, runIdOf(tuned)))!.trainingEvents[0]).toMatchObject({ kind: 'start', detail: `fine-tuned from ${runIdOf(good)}` });
    const latest = (await readLatest(store)).pointer!.runId;
    expect(latest).toBe((tuned as { promotion: { promoted: boolean } }).promotion.promoted ? runIdOf(tuned) : runIdOf(good));
  }, 60_000);

  it('two trainers on one bucket: one trains and publishes, the other backs off on the lease', async () => {
    const store = await storeWithScales();

    const outcomes = await Promise.all([trainDataset(options(store)), trainDataset(options(store, { maxSteps: 31 }))]);

    const statuses = outcomes.map((outcome) => outcome.status).sort();
    expect(statuses).toEqual(['busy', 'published']);
    const busy = outcomes.find((outcome) => outcome.status === 'busy') as { retryAfterSeconds: number; message: string };
    expect(busy.retryAfterSeconds).toBeGreaterThanOrEqual(30);
    expect(busy.message).toMatch(/another trainer \(process \d+ on .+\) holds the trainer lease until .*; try again in \d+ s/);
    expect(await store.head(keys.trainerLease)).toBeUndefined();
  }, 60_000);

  it('removes orphaned checkpoints (staged for other data or settings) once it holds the lease', async () => {
    const store = await storeWithScales();
    await putJson(store, keys.stagedRun('run-stale'), { schemaVersion: 1, runId: 'run-stale', settingsKey: 'other', startedFrom: null, createdAt: '2026-01-01T00:00:00Z' });
    await putJson(store, 'checkpoints/run-stale/checkpoint/latest.json', {});
    await putJson(store, 'checkpoints/run-unlabelled/checkpoint/latest.json', {});

    const outcome = await trainDataset(options(store, { maxSteps: 5 }));

    expect(outcome.status).toBe('published');
    expect(await store.list(keys.checkpointsPrefix)).toEqual([]);
  }, 60_000);

  it('continues a stopped run with the minutes asked now, under its first id', async () => {
    const store = await storeWithScales();
    const stop = new AbortController();
    const budgets: number[] = [];
    const first = await trainDataset(
      options(store, {
        minutes: 1,
        maxSteps: 60,
        signal: stop.signal,
        onProgress: (event) => event.kind === 'step' && (budgets.push(event.budgetSeconds), stop.abort()),
      }),
    );
    const second = await trainDataset(options(store, { minutes: 2, maxSteps: 60, onProgress: (event) => event.kind === 'step' && budgets.push(event.budgetSeconds) }));

    expect(first.status).toBe('interrupted');
    expect(second).toMatchObject({ status: 'published', runId: runIdOf(first) });
    expect(budgets[0]).toBe(60);
    expect(budgets.at(-1)).toBe(120);
    expect((await manifestOf(store, runIdOf(first)))!.trainingEvents.map((event) => event.kind)).toContain('resume');
  }, 60_000);

  it('a lost lease (another trainer took it over) stops the run at a checkpoint: nothing published (so nothing pruned)', async () => {
    const store = await storeWithScales();
    const rival = new TextEncoder().encode(JSON.stringify({ schemaVersion: 1, holder: 'rival', acquiredAt: '', expiresAt: '2099-01-01T00:00:00Z', expectedEndAt: '2099-01-01T00:00:00Z' }, null, 2));
    /** A rival's compare-and-swap over the lease, as acquireTrainerLease does it (tried again when a renewal got in first). */
    const takeOver = async () => {
      while (!(await store.put(keys.trainerLease, rival, { ifMatch: (await store.getVersioned(keys.trainerLease))!.etag })));
    };
    let steps = 0;

    const outcome = await trainDataset(
      options(store, {
        maxSteps: 100_000,
        leaseSeconds: 0.3,
        onProgress: (event) => event.kind === 'step' && ++steps === 3 && void takeOver(),
      }),
    );

    expect(outcome).toMatchObject({ status: 'lease-lost', message: expect.stringMatching(/taken over by another trainer; the checkpoint is kept/) });
    expect(await store.list('models/')).toEqual([]);
    expect(await store.head(`${keys.checkpointPrefix(runIdOf(outcome))}checkpoint/latest.json`)).toBeDefined();
    expect(new TextDecoder().decode(await store.get(keys.trainerLease))).toContain('"holder": "rival"');
  }, 60_000);

  it('a renewal that keeps failing for the lease time to live stops the run the same way', async () => {
    const store = await storeWithScales();
    let leaseWritable = true;
    const flaky: Store = Object.assign(Object.create(store) as Store, {
      put: (key: string, body: Uint8Array, putOptions?: object) =>
        key === keys.trainerLease && !leaseWritable ? Promise.reject(new Error('bucket unreachable')) : store.put(key, body, putOptions),
    });

    const outcome = await trainDataset(options(flaky, { maxSteps: 100_000, leaseSeconds: 0.3, onRunId: () => (leaseWritable = false) }));

    expect(outcome).toMatchObject({ status: 'lease-lost', message: expect.stringMatching(/could not be renewed for 0.3 s \(Error: bucket unreachable\)/) });
    expect(await store.list('models/')).toEqual([]);
  }, 60_000);
});
