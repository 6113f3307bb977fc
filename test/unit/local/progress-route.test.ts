import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError } from '../../../src/local/http-io.js';
import type { RequestError } from '../../../src/pipeline/request-errors.js';
import { serveRunProgress } from '../../../src/local/progress-route.js';
import { putJson } from '../../../src/store/json.js';
import { FsStore } from '../../../src/store/fs-store.js';
import { manifestFor } from '../../../fixtures/model-fixtures.js';

const encode = (lines: object[]) => new TextEncoder().encode(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
const trainLine = (step: number, trainLoss: number) => ({ kind: 'train', step, elapsedSeconds: step, trainLoss, learningRate: 0.001, eventsPerSecond: 100, gradientNorm: 1 });
const baselinesLine = (step: number, unigram: number) => ({ kind: 'baselines', step, elapsedSeconds: step, unigram, bigram: 4.1, trigram: 3.9 });
const validationLine = (step: number, validationNll: number) => ({ kind: 'validation', step, elapsedSeconds: step, validationNll, validationAccuracy: 0.2, best: true });

describe('GET /api/runs/<runId>/progress on a real server on 127.0.0.1 over a filesystem store', () => {
  let server: Server;
  let base: string;
  const store = new FsStore(mkdtempSync(join(tmpdir(), 'rubato-progress-')));

  beforeAll(async () => {
    await store.put('models/run-done/progress.jsonl', encode([trainLine(10, 4.5), validationLine(10, 4.2)]));
    await putJson(store, 'models/run-done/manifest.json', manifestFor({ vocabSize: 388, embeddingSize: 8, units: 16, layers: 1 }));
    await store.put('checkpoints/run-live/progress.jsonl', encode([trainLine(10, 4.8), trainLine(20, 4.6)]));
    await store.put('checkpoints/run-resumed/progress.jsonl', encode([baselinesLine(0, 5.1), trainLine(10, 4.8), baselinesLine(10, 5), trainLine(20, 4.6)]));
    await store.put('models/run-broken/progress.jsonl', new TextEncoder().encode('{"kind":"train"}\n'));
    server = createServer((request, response) => {
      const url = new URL(request.url!, 'http://localhost');
      serveRunProgress(store, request.method, url, response)
        .then((served) => (served ? undefined : response.writeHead(418).end()))
        .catch((error: RequestError) => sendError(response, error));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a published run\'s history with the baselines from its manifest', async () => {
    const response = await fetch(`${base}/api/runs/run-done/progress`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      runId: 'run-done',
      published: true,
      records: [trainLine(10, 4.5), validationLine(10, 4.2)],
      baselines: { unigram: 5, bigram: 4, trigram: 3.7 },
    });
  });

  it('answers a run still training from its checkpoint folder, without baselines yet', async () => {
    const body = await (await fetch(`${base}/api/runs/run-live/progress`)).json();

    expect(body).toMatchObject({ runId: 'run-live', published: false, baselines: null });
    expect(body.records.map((record: { step: number }) => record.step)).toEqual([10, 20]);
  });

  it('answers a run still training with the newest baselines of its progress lines (typed records, not log text)', async () => {
    const body = await (await fetch(`${base}/api/runs/run-resumed/progress`)).json();

    expect(body).toMatchObject({ runId: 'run-resumed', published: false, baselines: { unigram: 5, bigram: 4.1, trigram: 3.9 } });
    expect(body.records.filter((record: { kind: string }) => record.kind === 'train')).toHaveLength(2);
  });

  it.each([
    ['/api/runs/run-none/progress', 404, 'not-found'],
    ['/api/runs/..%2Fsecrets/progress', 400, 'invalid-parameter'],
    ['/api/runs/.hidden/progress', 400, 'invalid-parameter'],
    ['/api/runs/run-broken/progress', 422, 'unreadable-progress'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const response = await fetch(base + path);

    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(code);
  });

  it('leaves other paths and methods to the next handler', async () => {
    expect((await fetch(`${base}/api/runs/run-done`)).status).toBe(418);
    expect((await fetch(`${base}/api/runs/run-done/progress`, { method: 'POST' })).status).toBe(418);
  });
});
