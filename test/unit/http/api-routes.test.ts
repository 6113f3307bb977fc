import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { createApiHandler, maxRequestBodyBytes } from '../../../src/http/api-routes.js';
import type { ApiHandler, HttpRequest, RequestLog } from '../../../src/http/http-types.js';
import { ModelCache } from '../../../src/pipeline/model-cache.js';
import type { Store } from '../../../src/store/store.js';
import { publishLatest, saveTinyModel } from '../../support/published-model.js';
import { temporaryStore } from '../model/model-fixtures.js';

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
    expect(() => parseMidi(response.body as Uint8Array)).not.toThrow();
  });

  it('POST /generate reads a JSON body', async () => {
    const response = await api({ method: 'POST', path: '/generate', query: {}, body: JSON.stringify({ events: 20, seed: 1 }) }, options());
    expect(response.status).toBe(200);
    expect(response.headers['x-rubato-events']).toBe('20');
  });

  describe.each([
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
});
