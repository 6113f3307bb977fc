import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { createApiHandler, maxRequestBodyBytes } from '../../../src/http/api-routes.js';
import type { ApiHandler, HttpRequest, RequestLog } from '../../../src/http/http-types.js';
import type { OpenApiDocument } from '../../../src/http/openapi-document.js';
import { keys } from '../../../src/pipeline/keys.js';
import { ModelCache } from '../../../src/pipeline/model-cache.js';
import type { Store } from '../../../src/store/store.js';
import { publishLatest, saveTinyModel } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

const log: RequestLog = { info: () => {}, warn: vi.fn(), error: vi.fn() };
const options = () => ({ deadline: Date.now() + 20_000 });
const get = (path: string, query: Record<string, string> = {}): HttpRequest => ({ method: 'GET', path, query });
const errorOf = (body: string | Uint8Array) => (JSON.parse(body as string) as { error: { code: string; message: string } }).error;

describe('createApiHandler', () => {
  let store: Store;
  let api: ApiHandler;

  beforeAll(async () => {
    store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await publishLatest(store, 'run-a');
    api = createApiHandler({ store, cache: new ModelCache(store), log });
  });

  it('GET /generate answers a MIDI attachment named after the run and seed', async () => {
    const response = await api(get('/generate', { seconds: '2', seed: '42' }), options());
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'audio/midi',
      'content-disposition': 'attachment; filename="rubato-run-a-42.mid"',
      'x-rubato-seed': '42',
      'x-rubato-run-id': 'run-a',
    });
    const describing = Object.keys(response.headers).filter((name) => name === 'content-disposition' || name.startsWith('x-rubato-'));
    expect(response.headers['access-control-expose-headers']?.split(', ')).toEqual(describing);
    expect(() => parseMidi(response.body as Uint8Array)).not.toThrow();
  });

  it('GET /openapi.json builds the description once and answers it to every request', async () => {
    const describe = vi.fn(() => ({ openapi: '3.1.0' }) as unknown as OpenApiDocument);
    const described = createApiHandler({ store, cache: new ModelCache(store), log, describe });

    const answers = [await described(get('/openapi.json'), options()), await described(get('/openapi.json'), options())];

    expect(answers.map((answer) => [answer.status, answer.body])).toEqual([
      [200, '{"openapi":"3.1.0"}'],
      [200, '{"openapi":"3.1.0"}'],
    ]);
    expect(describe).toHaveBeenCalledTimes(1);
  });

  it('POST /generate reads a JSON body', async () => {
    const response = await api({ method: 'POST', path: '/generate', query: {}, body: JSON.stringify({ events: 20, seed: 1 }) }, options());
    expect(response.status).toBe(200);
    expect(response.headers['x-rubato-events']).toBe('20');
  });

  it('POST /generate continues a primer of JSON notes and says where it ends: the new notes start there', async () => {
    const primer = [
      { pitch: 60, start: 0, end: 0.5, velocity: 80 },
      { pitch: 64, start: 0.5, end: 1.25, velocity: 80 },
    ];
    const response = await api({ method: 'POST', path: '/generate', query: {}, body: JSON.stringify({ primer, seconds: 2, seed: 4 }) }, options());
    expect(response.status).toBe(200);
    // The last note lasts to the primer's end, so it is still down there: the continuation ends it, and the primer's
    // ids stop at its onset.
    expect(response.headers['x-rubato-primer-seconds']).toBe('0.50');
    expect(response.headers['access-control-expose-headers']).toContain('x-rubato-primer-seconds');
    // The tiny model has no controls: only the note cap comes from the primer (three times its notes' 90th percentile).
    expect(response.headers['x-rubato-from-primer']).toMatch(/^maxNoteSeconds=2\.\d+$/);
    const notes = parseMidi(response.body as Uint8Array).notes;
    const primerEnd = Number(response.headers['x-rubato-primer-seconds']);
    expect(notes.filter((note) => note.startSeconds <= primerEnd).map((note) => [note.pitch, note.startSeconds])).toEqual([[60, 0], [64, 0.5]]);
    expect(notes.find((note) => note.pitch === 60)!.endSeconds).toBe(0.5);
    expect(notes.length).toBeGreaterThan(2);
  });

  describe.each([
    { request: { method: 'POST', path: '/generate', query: {}, body: JSON.stringify({ primer: [{ pitch: 60, start: 1, end: 0.5, velocity: 80 }] }) }, status: 400, code: 'invalid-primer' },
    { request: get('/generate', { topP: '2' }), status: 400, code: 'invalid-parameter' },
    { request: get('/generate', { model: 'run-missing' }), status: 404, code: 'model-not-found' },
    { request: { method: 'POST', path: '/generate', query: {}, body: '{"seconds":' }, status: 400, code: 'invalid-json' },
    { request: { method: 'POST', path: '/generate', query: {}, body: 'x'.repeat(maxRequestBodyBytes + 1) }, status: 413, code: 'payload-too-large' },
    { request: get('/nope'), status: 404, code: 'not-found' },
    { request: { method: 'DELETE', path: '/generate', query: {} }, status: 405, code: 'method-not-allowed' },
    { request: { method: 'POST', path: '/models', query: {} }, status: 405, code: 'method-not-allowed' },
  ])('$request.method $request.path', ({ request, status, code }) => {
    it(`→ ${status} ${code}`, async () => {
      const response = await api(request, options());
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(errorOf(response.body).code).toBe(code);
    });
  });

  it('405 says which methods the path accepts', async () => {
    const response = await api({ method: 'PUT', path: '/generate/', query: {} }, options());
    expect(response.headers.allow).toBe('GET, POST');
  });

  it('GET /models lists the published models; GET /health names the latest', async () => {
    const models = await api(get('/models'), options());
    expect(JSON.parse(models.body as string).models).toMatchObject([{ runId: 'run-a', latest: true }]);
    const health = await api(get('/health'), options());
    expect(JSON.parse(health.body as string)).toEqual({ status: 'ok', latestRunId: 'run-a' });
  });

  it('answers 503 no-model before anything is published, and health stays ok', async () => {
    const empty = temporaryStore();
    const emptyApi = createApiHandler({ store: empty, cache: new ModelCache(empty), log });
    const response = await emptyApi(get('/generate'), options());
    expect(response.status).toBe(503);
    expect(errorOf(response.body).code).toBe('no-model');
    expect(JSON.parse((await emptyApi(get('/health'), options())).body as string)).toEqual({ status: 'ok', latestRunId: null });
  });

  it('hides an internal failure behind a generic 500 and logs it', async () => {
    const broken: Store = { ...store, get: async () => { throw new Error('disk on fire'); }, list: async () => { throw new Error('disk on fire'); } } as Store;
    const brokenApi = createApiHandler({ store: broken, cache: new ModelCache(broken), log });
    const response = await brokenApi(get('/models'), options());
    expect(response.status).toBe(500);
    expect(errorOf(response.body)).toEqual({ code: 'internal-error', message: expect.not.stringContaining('disk') });
    expect(log.error).toHaveBeenCalledWith('request failed', { error: expect.objectContaining({ message: 'disk on fire' }) });
  });

  it('POST /models/<runId>/promote swaps latest.json to a published run; 404 for an unknown run, 400 for a malformed id', async () => {
    const bucket = temporaryStore();
    await saveTinyModel(bucket, 'run-old');
    await saveTinyModel(bucket, 'run-new');
    await publishLatest(bucket, 'run-new');
    const promoteApi = createApiHandler({ store: bucket, cache: new ModelCache(bucket), log });
    const post = (path: string) => promoteApi({ method: 'POST', path, query: {} }, options());
    expect(JSON.parse((await promoteApi(get('/health'), options())).body as string).latestRunId).toBe('run-new');

    const promoted = await post('/models/run-old/promote');
    const unknown = await post('/models/run-none/promote');
    const malformed = await post('/models/%2E%2E%2Fsecrets/promote');

    expect(promoted.status).toBe(200);
    expect(JSON.parse(promoted.body as string)).toEqual({ runId: 'run-old', latest: true });
    expect(JSON.parse((await promoteApi(get('/models'), options())).body as string).latest).toBe('run-old');
    expect(JSON.parse((await promoteApi(get('/health'), options())).body as string).latestRunId).toBe('run-old');
    expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 'model-not-found']);
    expect([malformed.status, errorOf(malformed.body).code]).toEqual([400, 'invalid-parameter']);
    expect((await promoteApi({ method: 'GET', path: '/models/run-old/promote', query: {} }, options())).status).toBe(405);
  });

  it('reads a corrupt latest.json as no model: health 200, generate 503 no-model, models 200 with latest null', async () => {
    const bucket = temporaryStore();
    await saveTinyModel(bucket, 'run-a');
    await bucket.put(keys.latest, new TextEncoder().encode('{ not json'));
    const corruptApi = createApiHandler({ store: bucket, cache: new ModelCache(bucket, { log }), log });

    const health = await corruptApi(get('/health'), options());
    const piece = await corruptApi(get('/generate'), options());
    const models = await corruptApi(get('/models'), options());

    expect([health.status, JSON.parse(health.body as string)]).toEqual([200, { status: 'ok', latestRunId: null }]);
    expect([piece.status, errorOf(piece.body).code]).toEqual([503, 'no-model']);
    expect([models.status, JSON.parse(models.body as string).latest]).toEqual([200, null]);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('unreadable'), expect.anything());
  });
});

describe('createApiHandler under load (issue 10, item 4)', () => {
  it('answers 503 busy with Retry-After, not a 200 without music, when the deadline passed before any event was sampled', async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await publishLatest(store, 'run-a');
    const cache = new ModelCache(store);
    const api = createApiHandler({ store, cache, log });

    const response = await api(get('/generate', { seconds: '120' }), { deadline: Date.now() - 1 });

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(errorOf(response.body).code).toBe('busy');
  });
});
