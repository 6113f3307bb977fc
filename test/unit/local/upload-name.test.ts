import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../../src/local/local-server.js';
import { maxUploadNameBytes, uploadNameSchema } from '../../../src/local/upload-name.js';
import { maxKeyPartBytes } from '../../../src/store/fs-store.js';
import { smallPiece, startTestServer } from '../../support/local-server.js';
import { errorCodeOf, rawRequest } from '../../support/raw-request.js';

describe('uploadNameSchema', () => {
  it.each([
    ['a NUL byte', 'a\u0000b.mid'],
    ['CR/LF (forged log lines)', 'a\r\nupload evil.mid: accepted.mid'],
    ['a tab', 'a\tb.mid'],
    ['a malformed escape decoded to U+FFFD', 'bad\ufffd.mid'],
    ['150 × "é" (300 bytes)', `${'é'.repeat(150)}.mid`],
    ['a 250-byte name, over the store\'s limit once `.json` is added', `${'a'.repeat(246)}.mid`],
    ['a slash', 'a/b.mid'],
    ['a hidden name', '.a.mid'],
  ])('refuses %s', (_, name) => {
    expect(uploadNameSchema.safeParse(name).success).toBe(false);
  });

  it(`accepts a ${maxUploadNameBytes}-byte name and non-ASCII letters`, () => {
    expect(uploadNameSchema.safeParse(`${'a'.repeat(maxUploadNameBytes - 4)}.mid`).success).toBe(true);
    expect(uploadNameSchema.safeParse('Für Elise – Beethoven.midi').success).toBe(true);
    expect(uploadNameSchema.safeParse(`${'a'.repeat(maxUploadNameBytes - 3)}.mid`).success).toBe(false);
  });

  it('leaves room for the rejection record `<name>.json` within the store\'s part limit', () => {
    expect(maxUploadNameBytes + '.json'.length).toBe(maxKeyPartBytes);
  });
});

describe('long upload names against a real local server on 127.0.0.1 (issue 24, item 1: storable or 400, never 500)', () => {
  let server: LocalServer;
  const longestName = `${'a'.repeat(maxUploadNameBytes - 4)}.mid`;
  const upload = (name: string, body: Uint8Array) =>
    rawRequest(server.url, { method: 'POST', path: `/api/uploads?name=${encodeURIComponent(name)}`, headers: { 'content-type': 'audio/midi' }, body });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a 250-byte name with 400 JSON naming the byte limit', async () => {
    const response = await upload(`${'b'.repeat(246)}.mid`, smallPiece(1));

    expect(response.status).toBe(400);
    const body = JSON.parse(response.body.toString('utf8'));
    expect(body).toEqual({ error: { code: 'invalid-parameter', message: expect.stringContaining(`at most ${maxUploadNameBytes} bytes`) } });
    expect(body.error.message).toMatch(/^name: /);
  });

  it('stores and lists a file under the longest accepted name', async () => {
    const response = await upload(longestName, smallPiece(2));

    expect(response.status).toBe(200);
    const { files } = (await (await fetch(new URL('/api/files', server.url))).json()) as { files: Array<{ name: string; status: string }> };
    expect(files).toContainEqual(expect.objectContaining({ name: longestName, status: 'accepted' }));
  });

  it('keeps the rejection record of a file refused under the longest accepted name', async () => {
    const name = `${'c'.repeat(maxUploadNameBytes - 4)}.mid`;

    const response = await upload(name, new TextEncoder().encode('not a MIDI file'));

    expect(response.status).toBe(422);
    const { files } = (await (await fetch(new URL('/api/files', server.url))).json()) as { files: Array<{ name: string; status: string }> };
    expect(files).toContainEqual(expect.objectContaining({ name, status: 'rejected' }));
  });
});

describe('upload names against a real local server on 127.0.0.1 (issue 10, item 5: 400, not 500)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['GET', '/api/uploads/%E0%A4%A'],
    ['GET', '/api/uploads/a%00b.mid'],
    ['GET', `/api/uploads/${encodeURIComponent('é'.repeat(150))}.mid`],
    ['POST', '/api/uploads?name=a%00b.mid'],
    ['POST', '/api/uploads?name=a%0D%0Ab.mid'],
    ['POST', '/api/uploads?name=%E0%A4%A.mid'],
    ['POST', `/api/uploads?name=${encodeURIComponent('é'.repeat(150))}.mid`],
  ])('%s %s → 400 invalid-parameter', async (method, path) => {
    const response = await rawRequest(server.url, {
      method,
      path,
      ...(method === 'POST' ? { headers: { 'content-type': 'audio/midi' }, body: smallPiece(1) } : {}),
    });
    expect(response.status).toBe(400);
    expect(errorCodeOf(response)).toBe('invalid-parameter');
  });
});
