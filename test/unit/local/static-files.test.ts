import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../src/local/static-files.js';

describe('serveStatic on a real server on 127.0.0.1', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      serveStatic(new URL(request.url!, 'http://localhost').pathname, response).then((served) => {
        if (!served) response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/playground.js', 'text/javascript; charset=utf-8'],
    ['/favicon.ico', 'image/svg+xml'],
    ['/vendor/uplot.js', 'text/javascript; charset=utf-8'],
    ['/vendor/uplot.css', 'text/css; charset=utf-8'],
    ['/vendor/piano/A0v10.mp3', 'audio/mpeg'],
    ['/vendor/piano/D%231v10.mp3', 'audio/mpeg'],
  ])('serves %s as %s', async (path, contentType) => {
    const response = await fetch(base + path);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
  });

  it.each([
    '/vendor/piano/A0v1.mp3',
    '/vendor/piano/..%2F..%2Fpackage.json',
    '/vendor/uplot/dist/uPlot.cjs.js',
    '/..%2Fpackage.json',
    '/midi-messages.d.ts',
    '/%E0%A4%A',
  ])('serves nothing for %s', async (path) => {
    expect((await fetch(base + path)).status).toBe(404);
  });
});
