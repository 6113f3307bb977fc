import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRoutes } from '../../infra/http-api.js';
import { createApiHandler } from '../../src/http/api-routes.js';
import type { ApiHandler, HttpResponse, RequestLog } from '../../src/http/http-types.js';
import { describeCloudApi, describedMidiHeaders } from '../../src/http/openapi-cloud.js';
import type { OpenApiDocument } from '../../src/http/openapi-document.js';
import { errorSchemaRef } from '../../src/http/openapi-errors.js';
import { describeLocalApi } from '../../src/local/local-openapi.js';
import type { LocalServer } from '../../src/local/local-server.js';
import { ModelCache } from '../../src/pipeline/model-cache.js';
import { publishLatest, saveTinyModel } from '../../fixtures/published-model.js';
import { temporaryStore } from '../../fixtures/model-fixtures.js';
import { smallPiece, startTestServer } from '../support/local-server.js';

const log: RequestLog = { info: () => {}, warn: vi.fn(), error: vi.fn() };

/** One request to an operation; `{name}` segments are filled from `pathValues`. */
interface Sample {
  query?: Record<string, string>;
  json?: unknown;
  midi?: Uint8Array;
}

/**
 * A request for each operation that the route answers with something other than a route miss. Uploads come before
 * fetching the upload (document order); training is asked for with minutes 0 so no run starts.
 */
const samples: Record<string, Sample> = {
  'get /generate': { query: { seconds: '1', seed: '1' } },
  'post /generate': { json: { seconds: 1, seed: 1 } },
  'post /api/uploads': { query: { name: 'a.mid' }, midi: smallPiece(1) },
  'post /api/train': { json: { minutes: 0 } },
  'post /api/notes': { midi: smallPiece(2) },
};

interface Operation {
  verb: 'get' | 'post';
  path: string;
  responses: Record<string, { content?: Record<string, { schema: any }> }>;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, byVerb]) =>
    Object.entries(byVerb).map(([verb, operation]) => ({ verb: verb as Operation['verb'], path, responses: (operation as any).responses })),
  );
}

function filled(path: string, pathValues: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathValues[name]!));
}

/** The codes an error response of the document allows: the narrowing next to the error schema reference. */
function describedCodes(response: Operation['responses'][string]): string[] {
  const schema = response.content?.['application/json']?.schema;
  return schema?.allOf?.[1]?.properties?.error?.properties?.code?.enum ?? [];
}

/** Checks an answer against its operation: a described status, and for an error a described code. */
function expectDescribed(operation: Operation, status: number, body: string | undefined): void {
  const label = `${operation.verb.toUpperCase()} ${operation.path} → ${status} ${body?.slice(0, 200) ?? ''}`;
  expect([404, 405], label).not.toContain(status);
  expect(Object.keys(operation.responses), label).toContain(String(status));
  if (status >= 400 && !judgedNotRefused.has(`${operation.verb} ${operation.path} ${status}`)) {
    expect(describedCodes(operation.responses[String(status)]!), label).toContain(JSON.parse(body!).error.code);
  }
}

/** The one answer of status ≥ 400 that is not an error: an upload judged and rejected is a result, not a refused request. */
const judgedNotRefused = new Set(['post /api/uploads 422']);

function expectOpenApi31(document: OpenApiDocument): void {
  expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  expect(document.info).toEqual({ title: expect.any(String), version: expect.any(String), description: expect.any(String) });
  const errorEnum: string[] = (document.components.schemas.Error as any).properties.error.properties.code.enum;
  expect((document.components.schemas.Error as any).properties.error.required).toEqual(['code', 'message']);
  const errorResponses = [
    ...operationsOf(document).flatMap((operation) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400 && !judgedNotRefused.has(`${operation.verb} ${operation.path} ${status}`))
        .map(([, response]) => response),
    ),
    ...Object.values(document.components.responses),
  ];
  expect(operationsOf(document).length).toBeGreaterThan(5);
  for (const operation of operationsOf(document)) expect(Object.keys(operation.responses).length, `${operation.verb} ${operation.path}`).toBeGreaterThan(0);
  for (const response of errorResponses as any[]) {
    expect(response.content['application/json'].schema.allOf[0]).toEqual({ $ref: errorSchemaRef });
    expect(describedCodes(response).length).toBeGreaterThan(0);
    for (const code of describedCodes(response)) expect(errorEnum).toContain(code);
  }
}

/** The TypeScript files under `folder`, at any depth. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Source files under `folders`, without comments: the code that answers. */
function sourceOf(...folders: string[]): string {
  return folders
    .flatMap(sourceFiles)
    .map((file) => readFileSync(file, 'utf8').replace(/^\s*(\*|\/\/|\/\*\*).*$/gm, ''))
    .join('\n');
}

/** Every error code written as a literal where an error answer is built. */
function literalCodes(source: string): string[] {
  const patterns = [/RequestError\(\s*'([a-z-]+)'/g, /badRequest\(\s*'([a-z-]+)'/g, /errorBody\(\s*\d+,\s*'([a-z-]+)'/g, /\[\d{3}, '[^']*', '([a-z-]+)'\]/g, /readonly code = '([a-z-]+)'/g];
  return [...new Set(patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!)))].sort();
}

function errorEnumOf(document: OpenApiDocument): string[] {
  return (document.components.schemas.Error as any).properties.error.properties.code.enum;
}

describe('the OpenAPI descriptions', () => {
  it.each([
    ['cloud', describeCloudApi()],
    ['local', describeLocalApi()],
  ])('the %s document is OpenAPI 3.1: info, paths, responses on every operation, errors referencing one error schema', (_, document) => {
    expectOpenApi31(document);
  });

  it('names every error code the shared API and the pipeline build, and the local server every code of src/', () => {
    const cloudCodes = literalCodes(sourceOf('src/http', 'src/pipeline'));
    expect(cloudCodes).toEqual(expect.arrayContaining(['busy', 'invalid-parameter', 'method-not-allowed', 'not-found', 'payload-too-large']));
    // receiveUpload's conflicts: only the local server takes uploads as bytes.
    const localUploadCodes = ['name-taken', 'being-checked'];
    expect(errorEnumOf(describeCloudApi())).toEqual(expect.arrayContaining(cloudCodes.filter((code) => !localUploadCodes.includes(code))));
    expect(errorEnumOf(describeLocalApi())).toEqual(expect.arrayContaining(literalCodes(sourceOf('src'))));
  });

  it('declares Retry-After where an answer carries it: a 503, and the 409 of a trainer lease held elsewhere', () => {
    const responses = (describeLocalApi().paths['/api/train']!.post as any).responses as Record<string, { headers?: Record<string, unknown> }>;
    expect(responses['409']!.headers?.['retry-after']).toBeDefined();
    expect(responses['400']!.headers).toBeUndefined();
    const uploads = (describeLocalApi().paths['/api/uploads']!.post as any).responses as Record<string, { headers?: Record<string, unknown> }>;
    expect(uploads['503']!.headers?.['retry-after']).toBeDefined();
    expect(uploads['409']!.headers).toBeUndefined();
  });

  it('describes the query form of preprocessed fields: numbers and booleans with their bounds and defaults', () => {
    const parameters = (describeCloudApi().paths['/generate']!.get as any).parameters as { name: string; schema: object }[];
    const schemaOf = (name: string) => parameters.find((parameter) => parameter.name === name)!.schema;
    // The decoding a request leaves out is the model's own: the schema names rubato's as the last resort, and says so.
    expect(schemaOf('topK')).toEqual({ type: 'integer', minimum: 0, maximum: 388, default: 0, description: expect.stringContaining("the model's own default") });
    expect(schemaOf('seconds')).toEqual({ type: 'number', minimum: 1, maximum: 120, default: 20, description: 'without events, 20' });
    expect(schemaOf('followPrimer')).toEqual({ type: 'boolean', default: true });
    expect(parameters.map((parameter) => parameter.name)).not.toContain('primer');
  });

  it('describes exactly the routes API Gateway sends to the generate function', () => {
    const described = operationsOf(describeCloudApi()).map(({ verb, path }) => `${verb.toUpperCase()} ${path}`);
    expect(described.sort()).toEqual(generateRoutes.map(({ method, path }) => `${method} ${path}`).sort());
  });

  it('describes every /api/ route the local routes switch on', () => {
    const cases = [...readFileSync('src/local/local-routes.ts', 'utf8').matchAll(/case '(GET|POST) (\/api\/[^']*)'/g)].map(([, method, path]) => `${method!.toLowerCase()} ${path}`);
    const described = operationsOf(describeLocalApi()).map(({ verb, path }) => `${verb} ${path}`);
    expect(cases.length).toBeGreaterThan(5);
    expect(described).toEqual(expect.arrayContaining(cases));
  });
});

describe('the api handler (the generate Lambda’s router)', () => {
  let api: ApiHandler;
  const request = (operation: Pick<Operation, 'verb' | 'path'>, sample: Sample = {}) =>
    api(
      {
        method: operation.verb.toUpperCase(),
        path: filled(operation.path, { runId: 'run-a' }),
        query: sample.query ?? {},
        ...(sample.json !== undefined ? { body: JSON.stringify(sample.json) } : {}),
      },
      { deadline: Date.now() + 20_000 },
    );
  const text = (response: HttpResponse) => (typeof response.body === 'string' ? response.body : undefined);

  beforeAll(async () => {
    const store = temporaryStore();
    await saveTinyModel(store, 'run-a');
    await publishLatest(store, 'run-a');
    api = createApiHandler({ store, cache: new ModelCache(store), log });
  });

  it('answers GET /openapi.json with the cloud document', async () => {
    const response = await api({ method: 'GET', path: '/openapi.json', query: {} }, { deadline: Date.now() + 1000 });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body as string)).toEqual(JSON.parse(JSON.stringify(describeCloudApi())));
  });

  it.each(operationsOf(describeCloudApi()).map((operation) => [`${operation.verb.toUpperCase()} ${operation.path}`, operation] as const))(
    'answers %s as the document describes it',
    async (_, operation) => {
      const response = await request(operation, samples[`${operation.verb} ${operation.path}`]);
      expectDescribed(operation, response.status, text(response));
    },
  );

  it('serves no path the document leaves out: its 404 lists the described paths', async () => {
    const response = await api({ method: 'GET', path: '/nowhere', query: {} }, { deadline: Date.now() + 1000 });
    const served = /the API serves (.*)$/.exec(JSON.parse(response.body as string).error.message)![1]!.split(', ');
    expect(served.map((path) => path.replace(/:(\w+)/g, '{$1}')).sort()).toEqual(Object.keys(describeCloudApi().paths).sort());
  });

  it('answers a generated piece with exactly the x-rubato headers described', async () => {
    const response = await request({ verb: 'get', path: '/generate' }, samples['get /generate']);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('x-rubato-')).sort()).toEqual([...describedMidiHeaders].sort());
  });
});

describe('a real local server', () => {
  let server: LocalServer;
  const send = (operation: Pick<Operation, 'verb' | 'path'>, sample: Sample = {}) => {
    const url = new URL(filled(operation.path, { runId: operation.path.startsWith('/api/runs') ? '-not-a-run' : 'default', name: 'a.mid' }).slice(1), server.url);
    for (const [name, value] of Object.entries(sample.query ?? {})) url.searchParams.set(name, value);
    const body = sample.midi ? Buffer.from(sample.midi) : sample.json !== undefined ? JSON.stringify(sample.json) : undefined;
    const headers = sample.midi ? { 'content-type': 'audio/midi' } : sample.json !== undefined ? { 'content-type': 'application/json' } : undefined;
    return fetch(url, { method: operation.verb.toUpperCase(), ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
  };

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers GET /openapi.json with the local document, cloud and /api/ routes together', async () => {
    const response = await fetch(new URL('openapi.json', server.url));
    const document = (await response.json()) as OpenApiDocument;
    expect(document).toEqual(JSON.parse(JSON.stringify(describeLocalApi())));
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([...Object.keys(describeCloudApi().paths), '/api/files', '/api/notes']));
  });

  it('answers every described operation (not 404/405) with a described status and error code, on a real local server', async () => {
    for (const operation of operationsOf(describeLocalApi())) {
      const response = await send(operation, samples[`${operation.verb} ${operation.path}`]);
      const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
      const body = isStream ? (await response.body?.cancel(), undefined) : await response.text();
      expectDescribed(operation, response.status, body);
    }
  });

  it('answers 404 or 405 to a method the document does not describe on a described path', async () => {
    for (const [path, byVerb] of Object.entries(describeLocalApi().paths)) {
      for (const verb of (['get', 'post'] as const).filter((each) => !(each in byVerb))) {
        const response = await send({ verb, path }, verb === 'post' ? { json: {} } : {});
        await response.body?.cancel();
        expect([404, 405], `${verb} ${path}`).toContain(response.status);
      }
    }
  });
});
