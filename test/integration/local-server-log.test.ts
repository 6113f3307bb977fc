import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { startTestServer } from '../support/local-server.js';
import { waitFor } from '../support/wait-for.js';

const lines: string[] = [];
let server: LocalServer;

describe("the local server's log (a real server on 127.0.0.1)", () => {
  beforeAll(async () => {
    server = await startTestServer({ log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("keeps a rejected upload's code and reason on its line", async () => {
    const response = await fetch(new URL('/api/uploads?name=broken.mid', server.url), {
      method: 'POST',
      headers: { 'content-type': 'audio/midi' },
      body: new TextEncoder().encode('MThd this is not a MIDI file'),
    });
    const outcome = (await response.json()) as { code: string; message: string };

    expect(response.status).toBe(422);
    expect(outcome.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(outcome.message.length).toBeGreaterThan(10);
    expect(lines).toContain(`upload uploads/broken.mid: rejected (${outcome.code}: ${outcome.message})`);
  });

  it('logs a client that aborts its upload once, as "client aborted", without an error or a stack (issue 24 item 12)', async () => {
    const { hostname, port, host } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    socket.write(`POST /api/uploads?name=gone.mid HTTP/1.1\r\nHost: ${host}\r\nContent-Type: audio/midi\r\nContent-Length: 100000\r\n\r\n`);
    socket.write(Buffer.alloc(1000));
    await new Promise((resolve) => setTimeout(resolve, 200));

    socket.destroy();
    await waitFor(async () => (lines.some((line) => line.includes('client aborted')) ? true : undefined), 10, 50);
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for a second line, if any

    const aboutIt = lines.filter((line) => line.includes('gone.mid'));
    expect(aboutIt).toEqual([expect.stringMatching(/^client aborted POST \/api\/uploads\?name=gone\.mid \(/)]);
    expect(aboutIt[0]).not.toMatch(/error|\n\s+at /);
  });
});
