import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { startTestServer } from '../support/local-server.js';

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
});
