import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { startTestServer } from '../support/local-server.js';

/** Timeouts short enough for a test; the shipped ones are seconds to a minute (src/local/server-timeouts.ts). */
const timeouts = { headersMs: 600, requestMs: 3000, uploadBodyMs: 800, notesBodyMs: 500, checkEveryMs: 100 };

interface SlowClient {
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
  /** Everything the server sent. */
  answer: string;
}

/**
 * A slowloris client: sends `head` at once, then `drip` every 100 ms for as long as the connection stays open (or
 * gives up after 10 s, failing the test).
 */
function slowClient(server: LocalServer, head: string, drip: string): Promise<SlowClient> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    let answer = '';
    const dripping = setInterval(() => socket.writable && socket.write(drip), 100);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server still held the connection after 10 s; it sent: ${answer}`));
    }, 10_000);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (data) => (answer += data.toString()));
    socket.on('error', () => {}); // a reset after the answer is a close too
    socket.on('close', () => {
      clearInterval(dripping);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: performance.now() - started, answer });
    });
  });
}

describe('slow clients against the local server (issue 24 item 9, real local server)', () => {
  let server: LocalServer;
  let host: string;
  const chunkedPost = (path: string, contentType: string) =>
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`;
  const oneByteChunk = '1\r\nx\r\n';

  beforeAll(async () => {
    server = await startTestServer({ timeouts });
    host = new URL(server.url).host;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a body trickling to /api/notes 408 at its route deadline and closes the connection, for 50 sockets at once', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => slowClient(server, chunkedPost('/api/notes', 'audio/midi'), oneByteChunk)));

    for (const { closedAfterMs, answer } of clients) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toMatch(/connection: close/i);
      expect(answer).toContain('"code":"request-timeout"');
      expect(answer).toContain('did not arrive within 0.5 s'); // the route's deadline, not the server-wide one
      expect(closedAfterMs).toBeGreaterThanOrEqual(timeouts.notesBodyMs - 50);
      expect(closedAfterMs).toBeLessThan(timeouts.requestMs);
    }
  });

  it('answers an upload body trickling in 408 at the upload deadline', async () => {
    const { closedAfterMs, answer } = await slowClient(server, chunkedPost('/api/uploads?name=slow.mid', 'audio/midi'), oneByteChunk);

    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('did not arrive within 0.8 s');
    expect(closedAfterMs).toBeGreaterThanOrEqual(timeouts.uploadBodyMs - 50);
    expect(closedAfterMs).toBeLessThan(timeouts.requestMs);
  });

  it('closes a request on any other route whose body is still arriving at the request timeout (408)', async () => {
    const { closedAfterMs, answer } = await slowClient(server, chunkedPost('/generate', 'application/json'), oneByteChunk);

    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"request-timeout"');
    expect(closedAfterMs).toBeGreaterThanOrEqual(timeouts.requestMs - 50);
    expect(closedAfterMs).toBeLessThan(timeouts.requestMs + 2000);
  });

  it('closes a connection whose headers trickle in at the headers timeout (408)', async () => {
    const { closedAfterMs, answer } = await slowClient(server, `GET /health HTTP/1.1\r\nHost: ${host}\r\n`, 'X-Slow: 1\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(timeouts.headersMs - 50);
    expect(closedAfterMs).toBeLessThan(timeouts.requestMs);
  });
});
