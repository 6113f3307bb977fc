import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPreprocessHandler } from '../../functions/preprocess/preprocess-handler.js';
import { createLogger } from '../../src/log/logger.js';
import { parseMidi } from '../../src/midi/parse-midi.js';
import type { GradientEngine } from '../../src/model/engine/engine.js';
import { selectEngine } from '../../src/model/engine/select-engine.js';
import { modelManifestSchema } from '../../src/model/manifest.js';
import { generatePiece } from '../../src/pipeline/generate-piece.js';
import { parseGenerateParams } from '../../src/pipeline/generate-params.js';
import { keys } from '../../src/pipeline/keys.js';
import { readLatest } from '../../src/pipeline/latest-pointer.js';
import { modelsIndexKey } from '../../src/pipeline/models-index.js';
import { ModelCache } from '../../src/pipeline/model-cache.js';
import { runTrainer, type RunTrainerOptions } from '../../src/pipeline/train-run.js';
import type { Queue } from '../../src/queue/queue.js';
import type { Store } from '../../src/store/store.js';
import { performanceTokenizer } from '../../src/tokens/index.js';
import { startLocalS3, type LocalS3 } from '../../emulator/local-s3.js';
import { startLocalSqs, type LocalSqs } from '../../emulator/local-sqs.js';
import { publishLatest, saveTinyModel } from '../../fixtures/published-model.js';
import { s3EventFactory } from '../support/s3-event.js';
import { storedJson } from '../support/stored-json.js';
import { performances } from '../support/performance-midi.js';
import { scaleMidi } from '../support/tiny-midi.js';
import { tinyTraining } from '../support/tiny-trainer.js';

let s3: LocalS3;
let sqs: LocalSqs;
let engine: GradientEngine;
let bucketCount = 0;

const silent = createLogger('rubato-test', 'SILENT');
const context = { awsRequestId: 'integration', functionName: 'rubato-preprocess' };

/** A fresh bucket and queue pair (redrive after 3 receives, as deployed), with the preprocess handler over them. */
async function cloud() {
  bucketCount += 1;
  const store = await s3.bucket(`rubato-${bucketCount}`);
  const { queue, deadLetters } = await sqs.queueWithDeadLetters(`train-${bucketCount}`, 3);
  const preprocess = createPreprocessHandler({ store, queue, tokenizer: performanceTokenizer, maxBytes: 1 << 20, log: silent });
  return { store, queue, deadLetters, preprocess };
}

function trainer(store: Store, queue: Queue, overrides: Partial<RunTrainerOptions> = {}): RunTrainerOptions {
  return { store, queue, ...tinyTraining, engine, idleExitSeconds: 1, heartbeatSeconds: 0.2, waitSeconds: 1, retryDelaySeconds: 0, ...overrides };
}

/** Every key written, in order, through a store. */
function recordingPuts(store: Store): { store: Store; puts: string[] } {
  const puts: string[] = [];
  const recording: Store = Object.assign(Object.create(store) as Store, {
    put: (key: string, body: Uint8Array, options?: object) => {
      puts.push(key);
      return store.put(key, body, options);
    },
  });
  return { store: recording, puts };
}

async function uploadAndPreprocess(cloudSetup: Awaited<ReturnType<typeof cloud>>, files: Record<string, Uint8Array>) {
  for (const [key, bytes] of Object.entries(files)) await cloudSetup.store.put(key, bytes);
  return cloudSetup.preprocess(s3EventFactory(...Object.keys(files)), context);
}

const scales = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`uploads/scale ${index}.mid`, scaleMidi(64, index)]));

describe('cloud flow on local servers (s3rver for S3, fauxqs for SQS, both on 127.0.0.1)', () => {
  beforeAll(async () => {
    [s3, sqs] = await Promise.all([startLocalS3(), startLocalSqs()]);
    engine = await selectEngine({ ...tinyTraining.shape, vocabSize: 388 }, { engine: 'fast', workers: 1, log: () => {} });
  });
  afterAll(async () => {
    await engine?.dispose();
    await Promise.all([s3?.stop(), sqs?.stop()]);
  });

  it('s3rver + fauxqs: an upload → preprocess → SQS → trainer → model published, latest.json last → generate', async () => {
    const setup = await cloud();
    // Two generated performances: one trains, one validates.
    const files = Object.fromEntries(performances(2).map((bytes, index) => [`uploads/prélude ${index}.mid`, bytes]));

    const outcomes = await uploadAndPreprocess(setup, files);
    const { store, puts } = recordingPuts(setup.store);
    const exit = await runTrainer(trainer(store, setup.queue));

    expect(outcomes.map((outcome) => [outcome.key, outcome.status])).toEqual(Object.keys(files).map((key) => [key, 'accepted']));
    expect(exit.runs).toEqual([expect.objectContaining({ status: 'published', messages: 2, steps: tinyTraining.maxSteps })]);
    const runId = (exit.runs[0] as { runId: string }).runId;
    const modelPuts = puts.filter((put) => put.startsWith(keys.modelsPrefix));
    // The pointer follows every file of the model; the models index (what GET /models reads) is rewritten after it.
    expect(modelPuts.slice(-2)).toEqual([keys.latest, modelsIndexKey]);
    expect(modelPuts).toEqual(expect.arrayContaining([`${keys.modelPrefix(runId)}model.json`, `${keys.modelPrefix(runId)}manifest.json`]));
    expect((await storedJson(setup.store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema))!.steps).toBe(tinyTraining.maxSteps);
    expect(await setup.queue.receive({ waitSeconds: 0 })).toEqual([]);

    const piece = await generatePiece(parseGenerateParams({ seconds: '3', seed: '7' }, 'query'), {
      cache: new ModelCache(setup.store),
      deadline: Date.now() + 10_000,
    });
    expect(piece.runId).toBe(runId);
    expect(parseMidi(piece.midi).notes.length).toBe(piece.notes);
  });

  it('s3rver: the same S3 event delivered twice leaves one dataset entry and stays harmless', async () => {
    const setup = await cloud();
    const files = scales(1);
    const event = s3EventFactory(...Object.keys(files));

    const [first] = await uploadAndPreprocess(setup, files);
    const [second] = await setup.preprocess(event, context);

    expect([first!.status, second!.status]).toEqual(['accepted', 'duplicate']);
    expect((await setup.store.list(keys.datasetPrefix('performance'))).map((object) => object.key.split('.').at(-1))).toEqual(['json', 'tokens']);
  });

  it('fauxqs: a poison message reaches the dead-letter queue after 3 receives (redrive policy)', async () => {
    const setup = await cloud();
    await setup.queue.send('{"not":"a train request"}');

    const exit = await runTrainer(trainer(setup.store, setup.queue));

    expect(exit.runs.map((run) => run.status)).toEqual(['failed', 'failed', 'failed']);
    const [dead] = await setup.deadLetters.receive({ waitSeconds: 1 });
    expect(dead!.body).toBe('{"not":"a train request"}');
  });

  it('s3rver + fauxqs: SIGTERM mid-training checkpoints; the redelivered request resumes and finishes at the planned step', async () => {
    const setup = await cloud();
    await uploadAndPreprocess(setup, scales(3));
    const sigterm = new AbortController();

    const stopped = await runTrainer(
      trainer(setup.store, setup.queue, { signal: sigterm.signal, onProgress: (event) => event.kind === 'step' && event.step >= 10 && sigterm.abort() }),
    );
    const runId = (stopped.runs[0] as { runId: string }).runId;
    const checkpoint = await storedJson(setup.store, `${keys.checkpointPrefix(runId)}checkpoint/latest.json`, z.looseObject({ step: z.number() }));
    const resumed = await runTrainer(trainer(setup.store, setup.queue));

    expect(stopped).toMatchObject({ reason: 'signal', runs: [{ status: 'interrupted', messages: 3 }] });
    expect(checkpoint!.step).toBeGreaterThanOrEqual(10);
    expect(resumed.runs).toEqual([expect.objectContaining({ status: 'published', runId, steps: tinyTraining.maxSteps })]);
    const manifest = await storedJson(setup.store, `${keys.modelPrefix(runId)}manifest.json`, modelManifestSchema);
    expect(manifest!.steps).toBe(tinyTraining.maxSteps);
    expect(manifest!.trainingEvents.filter((event) => event.kind === 'resume').map((event) => event.step)).toEqual([checkpoint!.step]);
  });

  it('s3rver: a crash between the model files and latest.json leaves the previous model served', async () => {
    const setup = await cloud();
    await saveTinyModel(setup.store, 'previous');
    await publishLatest(setup.store, 'previous');
    await uploadAndPreprocess(setup, scales(2));
    const killed = new AbortController();
    const crashing: Store = Object.assign(Object.create(setup.store) as Store, {
      put: (key: string, body: Uint8Array, options?: object) => {
        if (key !== keys.latest) return setup.store.put(key, body, options);
        killed.abort();
        throw new Error('container killed before latest.json');
      },
    });

    const crashed = await runTrainer(trainer(crashing, setup.queue, { signal: killed.signal }));

    expect(crashed.runs).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect((await readLatest(setup.store)).pointer!.runId).toBe('previous');
    const served = await new ModelCache(setup.store).get('latest');
    expect(served.runId).toBe('previous');
    const staged = await setup.store.list(keys.modelsPrefix);
    expect(staged.some((object) => object.key.endsWith('manifest.json') && !object.key.startsWith('models/previous/'))).toBe(true);
  });
});
