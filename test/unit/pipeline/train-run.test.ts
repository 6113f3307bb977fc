import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEntry } from '../../../src/dataset/dataset-store.js';
import type { GradientEngine } from '../../../src/model/engine/engine.js';
import { selectEngine } from '../../../src/model/engine/select-engine.js';
import { modelManifestSchema } from '../../../src/model/manifest.js';
import { keys } from '../../../src/pipeline/keys.js';
import { readLatest } from '../../../src/pipeline/latest-pointer.js';
import { runTrainer, type RunTrainerOptions } from '../../../src/pipeline/train-run.js';
import { MemoryQueue } from '../../../src/queue/memory-queue.js';
import type { Queue } from '../../../src/queue/queue.js';
import { putJson } from '../../../src/store/json.js';
import type { Store } from '../../../src/store/store.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { storedJson } from '../../support/stored-json.js';
import { tinyTraining, uploadScales } from '../../support/tiny-trainer.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

let engine: GradientEngine;
const trainRequest = { schemaVersion: 1, requestedAt: new Date(0).toISOString(), reason: 'upload', tokenizer: 'performance' };

function trainerOptions(store: Store, queue: Queue, overrides: Partial<RunTrainerOptions> = {}): RunTrainerOptions {
  return { store, queue, ...tinyTraining, engine, idleExitSeconds: 0.3, heartbeatSeconds: 0.05, waitSeconds: 0.1, retryDelaySeconds: 0, ...overrides };
}

/** A queue that counts visibility extensions (the heartbeat). */
function countingExtends(queue: MemoryQueue): { queue: Queue; extensions: () => number } {
  let extensions = 0;
  return {
    queue: {
      send: (body) => queue.send(body),
      receive: (options) => queue.receive(options),
      ack: (message) => queue.ack(message),
      extend: (message, seconds) => {
        extensions += 1;
        return queue.extend(message, seconds);
      },
    },
    extensions: () => extensions,
  };
}

describe('runTrainer', () => {
  beforeAll(async () => {
    engine = await selectEngine({ ...tinyTraining.shape, vocabSize: 388 }, { engine: 'fast', workers: 1, log: () => {} });
  });
  afterAll(() => engine.dispose());

  it('coalesces pending requests into one run, extends visibility while training, publishes with latest.json, acks all', async () => {
    const store = temporaryStore();
    const memory = new MemoryQueue();
    await uploadScales(store, memory, 4);
    const { queue, extensions } = countingExtends(memory);

    const exit = await runTrainer(trainerOptions(store, queue));

    expect(exit.reason).toBe('idle');
    expect(exit.runs).toEqual([expect.objectContaining({ status: 'published', messages: 4, steps: 30 })]);
    const runId = (exit.runs[0] as { runId: string }).runId;
    expect((await readLatest(store)).pointer!.runId).toBe(runId);
    expect((await storedJson(store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema))!.steps).toBe(30);
    expect(await store.list(keys.checkpointPrefix(runId))).toEqual([]);
    expect(memory.size).toBe(0);
    expect(extensions()).toBeGreaterThan(0);
  });

  it('on the stop signal checkpoints and leaves the request queued; the next trainer resumes and finishes the same run', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue();
    await uploadScales(store, queue, 3);
    const controller = new AbortController();

    const stopped = await runTrainer(
      trainerOptions(store, queue, { signal: controller.signal, onProgress: (event) => event.kind === 'step' && event.step >= 10 && controller.abort() }),
    );
    const resumed = await runTrainer(trainerOptions(store, queue));

    expect(stopped).toMatchObject({ reason: 'signal', runs: [{ status: 'interrupted' }] });
    const runId = (stopped.runs[0] as { runId: string }).runId;
    expect(resumed.runs).toEqual([expect.objectContaining({ status: 'published', runId, steps: 30 })]);
    const manifest = await storedJson(store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema);
    expect(manifest!.trainingEvents.map((event) => event.kind)).toContain('resume');
    expect(queue.size).toBe(0);
  });

  it('trains and publishes on a fresh bucket after its first upload (validation on the one training file)', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue({ maxReceives: 3 });
    await uploadScales(store, queue, 1);

    const exit = await runTrainer(trainerOptions(store, queue));

    expect(exit.runs).toEqual([expect.objectContaining({ status: 'published', messages: 1 })]);
    const runId = (exit.runs[0] as { runId: string }).runId;
    expect((await storedJson(store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema))!.metrics.validationHeldOut).toBe(false);
    expect(queue.deadLetters).toEqual([]);
  });

  it('drops a request whose dataset has nothing to train on instead of retrying it into the dead letters', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue({ maxReceives: 3 });
    const meta = { schemaVersion: 1 as const, digest: 'a'.repeat(64), source: 'uploads/one.mid', tokenizer: 'performance' as const, notes: 0, seconds: 0, events: 1 };
    await writeEntry(store, keys.datasetPrefix('performance'), meta, Uint16Array.of(60));
    await queue.send(JSON.stringify(trainRequest));

    const exit = await runTrainer(trainerOptions(store, queue));

    expect(exit.runs).toEqual([expect.objectContaining({ status: 'failed', messages: 1, error: expect.stringMatching(/TooLittleDataError/) })]);
    expect(queue.size).toBe(0);
    expect(queue.deadLetters).toEqual([]);
  });

  it('sends a poison message to the dead letters after 3 receives and keeps serving', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue({ maxReceives: 3 });
    await queue.send('this is not a train request');

    const exit = await runTrainer(trainerOptions(store, queue));

    expect(exit.runs.map((run) => run.status)).toEqual(['failed', 'failed', 'failed']);
    expect(queue.deadLetters).toEqual(['this is not a train request']);
  });

  it('keeps the previous model served when it dies between the model files and latest.json, and recovers on redelivery', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue();
    await saveTinyModel(store, 'previous');
    await publishLatest(store, 'previous');
    await uploadScales(store, queue, 3);
    const killed = new AbortController();
    const crashing: Store = Object.assign(Object.create(store) as Store, {
      put: (key: string, body: Uint8Array, options?: object) => {
        if (key !== keys.latest) return store.put(key, body, options);
        killed.abort();
        return Promise.reject(new Error('container killed'));
      },
    });

    const crashed = await runTrainer(trainerOptions(crashing, queue, { signal: killed.signal }));
    const latestAfterCrash = (await readLatest(store)).pointer;
    const recovered = await runTrainer(trainerOptions(store, queue));

    expect(crashed.runs).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(latestAfterCrash!.runId).toBe('previous');
    const runId = (recovered.runs[0] as { runId: string }).runId;
    expect(recovered.runs).toEqual([expect.objectContaining({ status: 'already-published', runId })]);
    expect((await readLatest(store)).pointer!.runId).toBe(runId);
    expect(await store.list(keys.checkpointPrefix(runId))).toEqual([]);
  });

  it('backs off while another trainer holds the bucket lease: the request is hidden until that run should end, not dropped', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue();
    await uploadScales(store, queue, 2);
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await putJson(store, keys.trainerLease, { schemaVersion: 1, holder: 'other', acquiredAt: new Date().toISOString(), expiresAt: inAnHour, expectedEndAt: inAnHour });

    const exit = await runTrainer(trainerOptions(store, queue));

    expect(exit.runs).toEqual([expect.objectContaining({ status: 'busy', messages: 2, retryAfterSeconds: expect.any(Number) })]);
    expect((exit.runs[0] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3500);
    expect(queue.size).toBe(2);
    expect(await queue.receive({ waitSeconds: 0 })).toEqual([]);
    expect(await store.list(keys.modelsPrefix)).toEqual([]);
  });

  it('on the stop signal ends a 20 s long poll at once instead of waiting it out', async () => {
    const polls: Array<AbortSignal | undefined> = [];
    const longPolling: Queue = {
      send: async () => {},
      // As SQS with WaitTimeSeconds 20: nothing arrives, and only the abort signal ends the wait early.
      receive: (options) =>
        new Promise((resolve, reject) => {
          polls.push(options?.signal);
          const timer = setTimeout(() => resolve([]), 20_000);
          options?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('aborted'))), { once: true });
        }),
      ack: async () => {},
      extend: async () => {},
    };
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const started = Date.now();

    const exit = await runTrainer(trainerOptions(temporaryStore(), longPolling, { waitSeconds: 20, idleExitSeconds: 60, signal: stop.signal }));

    expect(exit.reason).toBe('signal');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(polls).toEqual([stop.signal]);
  });

  it('with maxRuns 1 exits after its run; a request sent while it trained waits in the queue', async () => {
    const store = temporaryStore();
    const queue = new MemoryQueue();
    await uploadScales(store, queue, 2);

    const exit = await runTrainer(trainerOptions(store, queue, { maxRuns: 1, onRunId: () => void queue.send(JSON.stringify(trainRequest)) }));

    expect(exit).toMatchObject({ reason: 'max-runs', runs: [expect.objectContaining({ status: 'published', messages: 2 })] });
    expect(queue.size).toBe(1);
  });
});
