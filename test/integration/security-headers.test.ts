import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { contentSecurityPolicy } from '../../src/local/security-headers.js';
import { startTestServer } from '../support/local-server.js';
import { rawRequest } from '../support/raw-request.js';

describe('security headers on every answer (real local server)', () => {
  let server: LocalServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it.each([
    ['the page', 'GET', '/', {}, 200],
    ['a page module', 'GET', '/playground.js', {}, 200],
    ['a vendored library', 'GET', '/vendor/tone.js', {}, 200],
    ['a piano sample', 'GET', '/vendor/piano/A0v10.mp3', {}, 200],
    ['the model list', 'GET', '/models', {}, 200],
    ['the uploads list', 'GET', '/api/files', {}, 200],
    ['the API description', 'GET', '/openapi.json', {}, 200],
    ['an unknown path', 'GET', '/nothing-here.html', {}, 404],
    ['a foreign Host', 'GET', '/', { host: 'rebind.example' }, 403],
    ['a bad generate parameter', 'GET', '/generate?topK=9999', {}, 400],
  ] as const)('%s (%s %s) cannot be framed, sniffed or leak its address', async (_what, method, path, headers, status) => {
    const response = await rawRequest(server.url, { method, path, headers });

    expect(response.status).toBe(status);
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('same-origin');
  });

  it('the policy is strict: own origin only, no inline script, no framing', () => {
    const directives = Object.fromEntries(contentSecurityPolicy.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));

    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(Object.values(directives).flat()).not.toContain("'unsafe-inline'");
    expect(Object.values(directives).flat()).not.toContain("'unsafe-eval'");
    expect(directives['script-src']).toBeUndefined();
  });
});
