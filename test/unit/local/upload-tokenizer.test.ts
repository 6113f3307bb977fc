import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../../src/local/local-server.js';
import { UploadTokenizer } from '../../../src/local/upload-tokenizer.js';
import { denseNotesFile } from '../../support/hostile-midi.js';
import { smallPiece, startTestServer } from '../../support/local-server.js';

describe('UploadTokenizer', () => {
  it('tokenizes in a worker with the same outcome as in-process, and closes', async () => {
    const uploads = new UploadTokenizer('performance');
    const accepted = await uploads.tokenize(smallPiece(1), 'uploads/a.mid');
    const rejected = await uploads.tokenize(new TextEncoder().encode('not midi'), 'uploads/b.mid');
    await uploads.close();

    expect(accepted).toMatchObject({ ok: true, meta: { source: 'uploads/a.mid', notes: 120 } });
    expect(rejected).toMatchObject({ ok: false, code: 'not-midi' });
  });

  it('closes without ever having started a worker', async () => {
    await expect(new UploadTokenizer('performance').close()).resolves.toBeUndefined();
  });
});

describe('hostile uploads against a real local server on 127.0.0.1 (issue 10, item 3: the server keeps answering)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
    // Start the tokenize worker (tsx compiles it once) before measuring.
    await fetch(new URL('/api/uploads?name=warm.mid', server.url), { method: 'POST', body: new Blob([new Uint8Array(smallPiece(1))]), headers: { 'content-type': 'audio/midi' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('parses two 5 MiB uploads of 1.7 M events each off the event loop: no stall near the ≈1.5 s one parse took in-process', async () => {
    const bytes = denseNotesFile();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const statuses = await Promise.all(
      [1, 2].map(async (index) => {
        const response = await fetch(new URL(`/api/uploads?name=dense-${index}.mid`, server.url), { method: 'POST', body: new Blob([bytes.slice()]), headers: { 'content-type': 'audio/midi' } });
        return response.status;
      }),
    );
    loopDelay.disable();

    expect(statuses).toEqual([200, 200]);
    expect(loopDelay.max / 1e6).toBeLessThan(1_000);
  }, 30_000);

  it('refuses a 5 MiB body on POST /api/notes (parsed on the event loop) with 413 before parsing it', async () => {
    const response = await fetch(new URL('/api/notes', server.url), { method: 'POST', body: new Blob([new Uint8Array(denseNotesFile())]), headers: { 'content-type': 'audio/midi' } });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload-too-large');
  });
});
