import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../../src/local/local-server.js';
import { createRequestGuard } from '../../../src/local/request-guard.js';
import { startTestServer } from '../../support/local-server.js';
import { errorCodeOf, rawRequest } from '../../support/raw-request.js';

describe('request guard against a real local server on 127.0.0.1 (issue 10, item 1: CSRF and DNS rebinding)', () => {
  let server: LocalServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer();
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('answers Host %s with its own port', async (name) => {
    const response = await rawRequest(server.url, { path: '/api/files', headers: { host: `${name}:${port}` } });
    expect(response.status).toBe(200);
  });

  it.each([['rebind.example:PORT'], ['127.0.0.1:1'], ['127.0.0.1'], ['evil.localhost:PORT']])('refuses Host %s with 403 forbidden-host', async (host) => {
    const response = await rawRequest(server.url, { path: '/api/files', headers: { host: host.replace('PORT', port) } });
    expect(response.status).toBe(403);
    expect(errorCodeOf(response)).toBe('forbidden-host');
  });

  it('refuses a state-changing request from another origin with 403, before training could start', async () => {
    const response = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/train',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"minutes":0.1}',
    });
    expect(response.status).toBe(403);
    expect(errorCodeOf(response)).toBe('forbidden-origin');
    expect((await rawRequest(server.url, { path: '/api/train' })).body.toString()).toMatch(/"state":"idle"/);
  });

  it('refuses a text/plain body (a CORS simple request) with 415, even without an Origin', async () => {
    const response = await rawRequest(server.url, { method: 'POST', path: '/api/train', headers: { 'content-type': 'text/plain' }, body: '{"minutes":0.1}' });
    expect(response.status).toBe(415);
    expect(errorCodeOf(response)).toBe('unsupported-media-type');
  });

  it('refuses an upload that is not a MIDI content type with 415', async () => {
    const response = await rawRequest(server.url, { method: 'POST', path: '/api/uploads?name=a.mid', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MThd' });
    expect(response.status).toBe(415);
  });

  it('accepts its own origin with JSON, and a bodyless POST without a content type', async () => {
    const own = await rawRequest(server.url, { method: 'POST', path: '/api/train', headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json; charset=utf-8' }, body: '{"minutes":0.1}' });
    expect(errorCodeOf(own)).toBe('no-data'); // past the guard: the route itself answered
    const stop = await rawRequest(server.url, { method: 'POST', path: '/api/train/stop', headers: { origin: `http://127.0.0.1:${port}` } });
    expect(stop.status).toBe(200);
  });

  it('lets cross-origin GETs through without CORS headers (the browser keeps their answers from the other page)', async () => {
    const response = await rawRequest(server.url, { path: '/health', headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('createRequestGuard on a wildcard address', () => {
  const guard = createRequestGuard('0.0.0.0', 8600);
  const requestWith = (host: string) => ({ method: 'GET', headers: { host } }) as never;

  it('accepts any IP literal with its port (rebinding needs a DNS name) and refuses other names', () => {
    expect(() => guard(requestWith('192.168.1.20:8600'), '/')).not.toThrow();
    expect(() => guard(requestWith('[fe80::1]:8600'), '/')).not.toThrow();
    expect(() => guard(requestWith('nas.example:8600'), '/')).toThrow(expect.objectContaining({ code: 'forbidden-host', status: 403 }));
  });
});
