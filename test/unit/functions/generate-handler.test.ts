import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerMarginMs, type LambdaContext } from '../../../functions/generate/generate-handler.js';
import type { HttpApiEvent, HttpApiResult } from '../../../functions/generate/http-api-event.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { keys } from '../../../src/pipeline/keys.js';
import { httpEventFactory, lambdaContextFactory, type HttpEventInit } from '../../../fixtures/http-event.js';
import { mockBucket } from '../../../fixtures/mock-bucket.js';
import { publishLatest, saveTinyModel, storeObjects } from '../../../fixtures/published-model.js';
import { temporaryStore } from '../../../fixtures/model-fixtures.js';

type Handler = (event: HttpApiEvent, context: LambdaContext) => Promise<HttpApiResult>;

/** A fresh container: the module is evaluated again, so nothing is cached. */
async function coldHandler(): Promise<Handler> {
  vi.resetModules();
  return (await import('../../../functions/generate/handler.js')).handler;
}

const s3 = mockClient(S3Client);
const getKeys = () => s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key);
const errorOf = (result: HttpApiResult) => (JSON.parse(result.body) as { error: { code: string; message: string } }).error;

describe('generate handler', () => {
  let objects: Map<string, Uint8Array>;
  let logLines: string[];

  beforeAll(async () => {
    process.env.BUCKET_NAME = 'rubato-test-bucket';
    const model = temporaryStore();
    await saveTinyModel(model, 'run-a');
    objects = mockBucket(s3, await storeObjects(model));
  });

  beforeEach(() => {
    s3.resetHistory();
    logLines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => logLines.push(String(chunk)) > 0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(() => {
    s3.restore();
    delete process.env.BUCKET_NAME;
  });

  it('refuses to start without BUCKET_NAME, naming it', async () => {
    delete process.env.BUCKET_NAME;
    await expect(coldHandler()).rejects.toThrow(/BUCKET_NAME is not set/);
    process.env.BUCKET_NAME = 'rubato-test-bucket';
  });

  it('answers 503 no-model while models/latest.json is absent, and health says ok with no model', async () => {
    const handler = await coldHandler();
    const result = await handler(httpEventFactory({ path: '/generate' }), lambdaContextFactory());
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('no-model');
    expect(getKeys()).toEqual(['models/latest.json']);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input.Bucket).toBe('rubato-test-bucket');
    const health = await handler(httpEventFactory({ path: '/health' }), lambdaContextFactory());
    expect([health.statusCode, JSON.parse(health.body)]).toEqual([200, { status: 'ok', latestRunId: null }]);
  });

  it('answers GET /openapi.json with the OpenAPI 3.1 description of the shared API, reading nothing from the bucket', async () => {
    const handler = await coldHandler();
    const result = await handler(httpEventFactory({ path: '/openapi.json' }), lambdaContextFactory());
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toMatch(/^application\/json/);
    const document = JSON.parse(result.body) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(['/generate', '/models', '/models/{runId}/promote', '/health', '/openapi.json']);
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
  });

  describe('with a published model', () => {
    let handler: Handler;

    beforeAll(async () => {
      const pointer = temporaryStore();
      await publishLatest(pointer, 'run-a');
      objects.set(keys.latest, (await pointer.get(keys.latest))!);
      handler = await coldHandler();
    });

    it('loads the model from the bucket on the first call and answers a base64 MIDI attachment', async () => {
      const result = await handler(httpEventFactory({ path: '/generate', query: { seconds: '2', seed: '11' } }), lambdaContextFactory());
      expect(result.statusCode).toBe(200);
      expect(result.isBase64Encoded).toBe(true);
      expect(result.headers).toMatchObject({
        'content-type': 'audio/midi',
        'content-disposition': 'attachment; filename="rubato-run-a-11.mid"',
        'x-rubato-seed': '11',
        'x-rubato-run-id': 'run-a',
      });
      const midi = new Uint8Array(Buffer.from(result.body, 'base64'));
      expect(parseMidi(midi).notes.length).toBeGreaterThan(0);
      expect(getKeys()).toEqual(['models/latest.json', 'models/run-a/manifest.json', 'models/run-a/model.json', 'models/run-a/group1-shard1of1.bin']);
    });

    it('serves warm calls without reading the bucket again, with JSON logs carrying the request id', async () => {
      const context = lambdaContextFactory();
      const result = await handler(httpEventFactory({ path: '/generate', query: { events: '30' } }), context);
      expect(result.statusCode).toBe(200);
      expect(getKeys()).toEqual([]);
      const generated = logLines.filter((line) => line.includes('"generated"'));
      expect(JSON.parse(generated.at(-1)!)).toMatchObject({ level: 'INFO', message: 'generated', function_request_id: context.awsRequestId, events: 30 });
    });

    it('reads a POST body, base64-encoded by API Gateway or not', async () => {
      for (const base64Body of [false, true]) {
        const event = httpEventFactory({ method: 'POST', path: '/generate', body: { events: 20, seed: 3, temperature: 0.5 }, base64Body });
        const result = await handler(event, lambdaContextFactory());
        expect([result.statusCode, result.headers['x-rubato-events']]).toEqual([200, '20']);
      }
    });

    describe.each<{ event: HttpEventInit; status: number; code: string; says: RegExp }>([
      { event: { path: '/generate', query: { seconds: '600' } }, status: 400, code: 'invalid-parameter', says: /"seconds"/ },
      { event: { path: '/generate', query: { temperature: 'hot' } }, status: 400, code: 'invalid-parameter', says: /"temperature"/ },
      { event: { path: '/generate', query: { volume: '11' } }, status: 400, code: 'unknown-parameter', says: /"volume"/ },
      { event: { method: 'POST', path: '/generate', body: '{oops' }, status: 400, code: 'invalid-json', says: /not valid JSON/ },
      { event: { method: 'POST', path: '/generate', body: { primer: Buffer.from('hello').toString('base64') } }, status: 400, code: 'invalid-primer', says: /not a usable MIDI file/ },
      { event: { path: '/generate', query: { model: 'run-b' } }, status: 404, code: 'model-not-found', says: /run-b/ },
      { event: { path: '/upload' }, status: 404, code: 'not-found', says: /\/upload/ },
      { event: { method: 'DELETE', path: '/models' }, status: 405, code: 'method-not-allowed', says: /GET/ },
    ])('$event.method $event.path $event.query $event.body', ({ event, status, code, says }) => {
      it(`→ ${status} ${code}`, async () => {
        const result = await handler(httpEventFactory(event), lambdaContextFactory());
        expect(result.statusCode).toBe(status);
        expect(result.isBase64Encoded).toBe(false);
        expect(errorOf(result)).toEqual({ code, message: expect.stringMatching(says) });
      });
    });

    it('GET /models lists the bucket under models/', async () => {
      const result = await handler(httpEventFactory({ path: '/models' }), lambdaContextFactory());
      expect(JSON.parse(result.body).models).toMatchObject([{ runId: 'run-a', latest: true }]);
      expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input.Prefix).toBe('models/');
    });

    it('stops sampling before the function times out', async () => {
      // A clock that moves 1 ms per reading: the deadline falls after about 50 readings (the sampler reads it every 32
      // events), whatever the speed of the machine.
      let now = Date.now();
      const clock = vi.spyOn(Date, 'now').mockImplementation(() => (now += 1));
      const started = performance.now();
      try {
        const result = await handler(httpEventFactory({ path: '/generate', query: { events: '8192' } }), lambdaContextFactory(answerMarginMs + 50));

        expect(result.statusCode).toBe(200);
        expect(result.headers['x-rubato-complete']).toBe('false');
        expect(Number(result.headers['x-rubato-events'])).toBeGreaterThan(0);
        expect(Number(result.headers['x-rubato-events'])).toBeLessThan(8192);
        expect(performance.now() - started).toBeLessThan(answerMarginMs);
      } finally {
        clock.mockRestore();
      }
    });
  });
});
