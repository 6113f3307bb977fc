import { afterEach, describe, expect, it } from 'vitest';
import type { GenerateHandler } from '../../../functions/generate/generate-handler.js';
import type { HttpApiEvent } from '../../../functions/generate/http-api-event.js';
import { startHttpApi, type LocalHttpApi } from '../../../emulator/http-api-server.js';
import { rawRequest } from '../../support/raw-request.js';

let api: LocalHttpApi;
afterEach(() => api?.close());

/** A handler that records its events and answers with `result`. */
function recording(result: Awaited<ReturnType<GenerateHandler>>): { handler: GenerateHandler; events: HttpApiEvent[]; remaining: number[] } {
  const events: HttpApiEvent[] = [];
  const remaining: number[] = [];
  return {
    events,
    remaining,
    handler: async (event, context) => {
      events.push(event);
      remaining.push(context.getRemainingTimeInMillis());
      return result;
    },
  };
}

describe('startHttpApi (a real HTTP server on 127.0.0.1)', () => {
  it('turns a GET into a payload-2.0 event, repeated query keys comma-joined, and decodes a base64 answer', async () => {
    const fake = recording({ statusCode: 200, headers: { 'content-type': 'audio/midi' }, body: Buffer.from([77, 84, 104, 100]).toString('base64'), isBase64Encoded: true });
    api = await startHttpApi(fake.handler);

    const response = await fetch(`${api.url}/generate?seconds=5&key=C&key=D`);

    expect(new Uint8Array(await response.arrayBuffer())).toEqual(Uint8Array.of(77, 84, 104, 100));
    expect(response.headers.get('content-type')).toBe('audio/midi');
    expect(fake.events[0]).toMatchObject({
      version: '2.0',
      rawPath: '/generate',
      queryStringParameters: { seconds: '5', key: 'C,D' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/generate' } },
    });
    expect(fake.events[0]!.body).toBeUndefined();
    expect(fake.remaining[0]).toBeGreaterThan(28_000);
  });

  it('passes a JSON body as text and any other body base64-encoded, as API Gateway does', async () => {
    const fake = recording({ statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{}}', isBase64Encoded: false });
    api = await startHttpApi(fake.handler);

    const json = await fetch(`${api.url}/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seconds":3}' });
    await fetch(`${api.url}/generate`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Uint8Array.of(1, 2, 3) });

    expect(json.status).toBe(400);
    expect(await json.text()).toBe('{"error":{}}');
    expect(fake.events[0]).toMatchObject({ body: '{"seconds":3}', isBase64Encoded: false });
    expect(fake.events[1]).toMatchObject({ body: 'AQID', isBase64Encoded: true });
  });

  it('answers 413 without calling the function for a body over API Gateway’s 10 MB', async () => {
    const fake = recording({ statusCode: 200, headers: {}, body: '', isBase64Encoded: false });
    api = await startHttpApi(fake.handler);

    const response = await fetch(`${api.url}/generate`, { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1) });

    expect(response.status).toBe(413);
    expect(fake.events).toHaveLength(0);
  });
  it('refuses a DNS-rebinding Host and a foreign Origin with 403 before the function runs, as rubato serve does (issue 24 item 11)', async () => {
    const fake = recording({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"latest":true}', isBase64Encoded: false });
    api = await startHttpApi(fake.handler);
    const port = new URL(api.url).port;
    const promote = (headers: Record<string, string>) => rawRequest(api.url, { method: 'POST', path: '/models/run-1/promote', headers });

    const rebound = await promote({ host: `rebind.example:${port}`, origin: 'https://evil' });
    const crossSite = await promote({ origin: 'https://evil' });
    const ownPage = await promote({ origin: `http://127.0.0.1:${port}` });
    const curl = await promote({});

    expect([rebound.status, JSON.parse(rebound.body.toString()).error.code]).toEqual([403, 'forbidden-host']);
    expect([crossSite.status, JSON.parse(crossSite.body.toString()).error.code]).toEqual([403, 'forbidden-origin']);
    expect([ownPage.status, curl.status]).toEqual([200, 200]);
    expect(fake.events).toHaveLength(2);
  });
});
