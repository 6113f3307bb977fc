import fc from 'fast-check';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { startTestServer } from '../support/local-server.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

const requestCount = 1_200;
const concurrency = 8;

/** Path pieces a client could send: the real routes, traversal, odd and malformed percent-escapes, long names. */
const pathSegment = fc.oneof(
  fc.constantFrom('api', 'uploads', 'files', 'train', 'stop', 'events', 'notes', 'generate', 'models', 'health', 'vendor', 'index.html', '..', '.', ''),
  fc.constantFrom('%E0%A4%A', '%zz', '%00', '%2e%2e', '%2F', '%0D%0A', '%C3%A9'.repeat(150), 'a.mid', 'x'.repeat(300)),
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/),
);
const path = fc.oneof(
  fc.constantFrom('/health', '/models', '/generate', '/api/files', '/api/train', '/api/train/stop', '/api/uploads', '/api/notes', '/'),
  fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
);
const query = fc.oneof(
  fc.constant(''),
  fc.dictionary(
    fc.constantFrom('name', 'seconds', 'events', 'seed', 'temperature', 'topK', 'topP', 'model', 'primer', 'x'),
    fc.oneof(fc.constantFrom('1', '2', '-1', '0.5', 'NaN', '1e309', 'latest', 'a.mid', '%E0%A4%A', '%00.mid', 'a%0D%0Ab.mid'), fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/)),
    { maxKeys: 3 },
  ).map((fields) => `?${Object.entries(fields).map(([key, value]) => `${key}=${value}`).join('&')}`),
);
const host = fc.constantFrom('own', 'own', 'own', 'localhost', 'evil.example', '127.0.0.1:1', '');
const origin = fc.constantFrom(undefined, undefined, 'own', 'https://evil.example', 'null');
const contentType = fc.constantFrom(undefined, 'application/json', 'audio/midi', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x');
const body = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('{}', '{"minutes":1000}', '{"seconds":1,"seed":1}', '{"primer":"AAAA"}', 'null', '[', 'MThd', '{"minutes":"soon"}'),
  fc.uint8Array({ maxLength: 2048 }),
);
const request = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'),
  path,
  query,
  host,
  origin,
  contentType,
  body,
});

describe('fuzzed requests against a real local server on 127.0.0.1 (issue 10)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`answers ${requestCount} seeded random requests with 2xx, 4xx or 503 only, errors as JSON, and stays healthy`, async () => {
    const own = new URL(server.url).host;
    const requests = fc.sample(request, { numRuns: requestCount, seed: 20261130 });
    const failures: string[] = [];
    const check = (sent: (typeof requests)[number], response: RawResponse) => {
      const label = `${sent.method} ${sent.path}${sent.query} → ${response.status}`;
      const allowed = (response.status >= 200 && response.status < 300) || (response.status >= 400 && response.status < 500) || response.status === 503;
      if (!allowed) failures.push(`${label}: ${response.body.toString('utf8').slice(0, 200)}`);
      if (response.status >= 400 && sent.method !== 'HEAD') {
        try {
          const { error } = JSON.parse(response.body.toString('utf8')) as { error: { code: string; message: string } };
          if (typeof error.code !== 'string' || typeof error.message !== 'string') failures.push(`${label}: error without code/message`);
        } catch {
          failures.push(`${label}: a non-JSON error body`);
        }
      }
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const sent = requests[next++]!;
          const headers: Record<string, string> = { host: sent.host === 'own' ? own : sent.host === 'localhost' ? `localhost:${new URL(server.url).port}` : sent.host };
          if (sent.origin) headers.origin = sent.origin === 'own' ? `http://${own}` : sent.origin;
          if (sent.contentType) headers['content-type'] = sent.contentType;
          const response = await rawRequest(server.url, { method: sent.method, path: sent.path + sent.query, headers, ...(sent.body !== undefined ? { body: sent.body } : {}) }).catch(
            (error: Error) => `${sent.method} ${sent.path}${sent.query} host=${headers.host} ${JSON.stringify(headers)}: ${error.message}`,
          );
          if (typeof response === 'string') failures.push(response);
          else check(sent, response);
        }
      }),
    );

    expect(failures).toEqual([]);
    const health = await rawRequest(server.url, { path: '/health' });
    expect(health.status).toBe(200);
  }, 120_000);
});

describe('malformed HTTP against a real local server on 127.0.0.1', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['garbage framing', 'GET /health HTTP/1.1\r\nHost: x\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabc', 400, 'malformed-request'],
    ['a header over 16 KiB', `GET /health HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers-too-large'],
  ])('answers %s with a JSON error', async (_, raw, status, code) => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
      let text = '';
      socket.on('data', (part) => (text += part.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe(code);
  });
});
