import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMidi } from '../../src/midi/parse-midi.js';
import type { LocalServer } from '../../src/local/local-server.js';
import { readEvents } from '../support/event-stream.js';
import { startTestServer, smallPiece } from '../support/local-server.js';

const midiType = { 'content-type': 'audio/midi' };
const jsonType = { 'content-type': 'application/json' };

describe('real local HTTP server', () => {
  let server: LocalServer;
  const at = (path: string) => new URL(path, server.url).href;
  const upload = (name: string, bytes: Uint8Array) =>
    fetch(at(`/api/uploads?name=${encodeURIComponent(name)}`), { method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: midiType });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publishes the shipped default model into an empty data folder as latest and serves the playground', async () => {
    expect(server.shipped).toEqual([{ runId: 'default', status: 'published', promotion: expect.objectContaining({ promoted: true }) }]);
    const health = await (await fetch(at('/health'))).json();
    expect(health).toEqual({ status: 'ok', latestRunId: 'default' });
    const page = await fetch(at('/'));
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<canvas id="piano-roll"');
    const tone = await fetch(at('/vendor/tone.js'));
    expect(tone.status).toBe(200);
    expect((await tone.text()).length).toBeGreaterThan(100_000);
  });

  it('answers 32 concurrent generate requests, each a MIDI file that parses', async () => {
    const responses = await Promise.all(Array.from({ length: 32 }, (_, seed) => fetch(at(`/generate?seconds=2&seed=${seed}&temperature=0.9`))));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/midi');
      expect(parseMidi(new Uint8Array(await response.arrayBuffer())).notes.length).toBeGreaterThan(0);
    }
    expect(new Set(responses.map((response) => response.headers.get('x-rubato-seed'))).size).toBe(32);
  });

  it.each([
    ['GET', '/generate?temperature=abc', 400, 'invalid-parameter', undefined],
    ['GET', '/generate?seconds=100000', 400, 'invalid-parameter', undefined],
    ['GET', '/generate?topK=-1', 400, 'invalid-parameter', undefined],
    ['GET', '/generate?volume=11', 400, 'unknown-parameter', undefined],
    ['POST', '/generate', 400, 'invalid-json', '{not json'],
    ['GET', '/generate?model=no-such-run', 404, 'model-not-found', undefined],
    ['GET', '/nowhere', 404, 'not-found', undefined],
    ['GET', '/api/nowhere', 404, 'not-found', undefined],
    ['DELETE', '/models', 405, 'method-not-allowed', undefined],
    ['POST', '/api/uploads', 400, 'invalid-parameter', 'MThd'],
    ['POST', '/api/uploads?name=../../etc/passwd.mid', 400, 'invalid-parameter', 'MThd'],
    ['POST', '/api/uploads?name=notes.txt', 400, 'invalid-parameter', 'MThd'],
    ['POST', '/api/uploads?name=empty.mid', 400, 'empty-upload', ''],
    ['POST', '/api/train', 400, 'invalid-parameter', '{"minutes": 1000}'],
    ['POST', '/api/train', 400, 'invalid-parameter', '{"minutes": "soon"}'],
    ['POST', '/api/train', 400, 'invalid-json', 'minutes=1'],
    ['POST', '/api/notes', 422, 'not-midi', 'not midi at all'],
  ])('%s %s → %i %s (JSON error)', async (method, path, status, code, body) => {
    const headers = path.startsWith('/api/uploads') || path === '/api/notes' ? midiType : jsonType;
    const response = await fetch(at(path), { method, ...(body !== undefined ? { body, headers } : {}) });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const json = await response.json();
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(5);
  });

  it('refuses to train before any file was accepted (409)', async () => {
    const response = await fetch(at('/api/train'), { method: 'POST', body: '{"minutes": 1}', headers: jsonType });
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe('no-data');
  });

  it('refuses an upload over the size cap with 413', async () => {
    const response = await upload('huge.mid', new Uint8Array(6 * 1024 * 1024));
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload-too-large');
  });

  it('uploads, lists each file with its outcome, trains with live progress and publishes a model /models lists', async () => {
    const first = await (await upload('first.mid', smallPiece(1, 300))).json();
    const again = await (await upload('first again.mid', smallPiece(1, 300))).json();
    const broken = await upload('broken.mid', new TextEncoder().encode('MThd this is not a MIDI file'));
    await upload('second.mid', smallPiece(2, 300));
    await upload('third.mid', smallPiece(3, 300));
    expect(first).toMatchObject({ status: 'accepted', key: 'uploads/first.mid' });
    expect(again).toMatchObject({ status: 'duplicate', digest: first.digest });
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ status: 'rejected', key: 'uploads/broken.mid' });

    const { files } = await (await fetch(at('/api/files'))).json();
    const byName = Object.fromEntries(files.map((file: { name: string }) => [file.name, file]));
    expect(byName['first.mid']).toMatchObject({ status: 'accepted', notes: 300 });
    expect(byName['first again.mid']).toMatchObject({ status: 'duplicate', duplicateOf: 'uploads/first.mid' });
    expect(byName['broken.mid'].status).toBe('rejected');
    expect(byName['broken.mid'].message.length).toBeGreaterThan(5);
    const primer = await fetch(at('/api/uploads/first.mid'));
    expect(new Uint8Array(await primer.arrayBuffer())).toEqual(smallPiece(1, 300));

    // A bad file under the accepted name is rejected for this attempt; the original and its listing stay.
    const badAgain = await upload('first.mid', new TextEncoder().encode('MThd garbage'));
    expect([badAgain.status, (await badAgain.json()).status]).toEqual([422, 'rejected']);
    const otherMusic = await upload('first.mid', smallPiece(9, 300));
    expect([otherMusic.status, (await otherMusic.json()).error.code]).toEqual([409, 'name-taken']);
    expect(new Uint8Array(await (await fetch(at('/api/uploads/first.mid'))).arrayBuffer())).toEqual(smallPiece(1, 300));
    const relisted = (await (await fetch(at('/api/files'))).json()).files;
    expect(relisted.find((file: { name: string }) => file.name === 'first.mid')).toMatchObject({ status: 'accepted', notes: 300 });

    const events = readEvents(at('/api/train/events'), (event, data) => event === 'state' && data.status.state === 'finished', 40_000);
    const started = await fetch(at('/api/train'), { method: 'POST', body: JSON.stringify({ minutes: 0.1 }), headers: jsonType });
    expect(started.status).toBe(202);
    const { runId } = await started.json();
    expect((await fetch(at('/api/train'), { method: 'POST', body: '{}', headers: jsonType })).status).toBe(409);
    const seen = await events;
    const steps = seen.filter((item) => item.event === 'step').map((item) => item.data);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps[0]).toMatchObject({ runId });
    expect(Number.isFinite(steps[0].trainLoss) && Number.isFinite(steps[0].eventsPerSecond) && Number.isFinite(steps[0].etaSeconds)).toBe(true);
    expect(seen.some((item) => item.event === 'validation' && Number.isFinite(item.data.validationLoss))).toBe(true);
    const finished = seen.at(-1)!.data.status;
    expect(finished).toMatchObject({ state: 'finished', runId, promoted: expect.any(Boolean), reason: expect.stringMatching(/promoted/) });

    const listed = await (await fetch(at('/models'))).json();
    const model = listed.models.find((candidate: { runId: string }) => candidate.runId === runId);
    // The preloaded model has the same tiny shape: the run fine-tuned it and was compared with it on the same events.
    expect(model).toMatchObject({ latest: finished.promoted, promotion: { promoted: finished.promoted }, startedFrom: 'default', data: { files: 3 } });
    expect(listed.latest).toBe(finished.promoted ? runId : 'default');
    const piece = await fetch(at(`/generate?seconds=2&model=${runId}`));
    expect(piece.status).toBe(200);
    expect(piece.headers.get('x-rubato-run-id')).toBe(runId);
  }, 60_000);
});

describe('real local HTTP server across a restart', () => {
  it('checkpoints a running training on shutdown and resumes it on the next start', async () => {
    const first = await startTestServer();
    const at = (server: LocalServer, path: string) => new URL(path, server.url).href;
    for (const variant of [1, 2, 3]) {
      await fetch(at(first, `/api/uploads?name=piece-${variant}.mid`), { method: 'POST', body: new Blob([new Uint8Array(smallPiece(variant, 300))]), headers: midiType });
    }
    const firstStep = readEvents(at(first, '/api/train/events'), (event) => event === 'step', 30_000);
    const { runId } = await (await fetch(at(first, '/api/train'), { method: 'POST', body: JSON.stringify({ minutes: 2 }), headers: jsonType })).json();
    expect((await firstStep).some((item) => item.event === 'step')).toBe(true);
    await first.close();
    expect(readdirSync(join(first.dataDir, 'bucket/checkpoints', runId, 'checkpoint')).length).toBeGreaterThan(0);

    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      expect(await (await fetch(at(second, '/api/train'))).json()).toMatchObject({ state: 'running', runId });
      const resumed = await readEvents(at(second, '/api/train/events'), (event, data) => event === 'log' && /resumed at step/.test(data.line), 30_000);
      expect(resumed.at(-1)!.data.line).toMatch(/resumed at step [1-9]/);
      const stopped = await (await fetch(at(second, '/api/train/stop'), { method: 'POST' })).json();
      expect(stopped).toMatchObject({ state: 'idle', last: { runId, state: 'stopped' } });
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('real local HTTP server with a single upload', () => {
  it('trains on the one accepted file; stop then start continues the same run to a published model', async () => {
    const server = await startTestServer();
    const at = (path: string) => new URL(path, server.url).href;
    try {
      const accepted = await fetch(at('/api/uploads?name=only.mid'), { method: 'POST', body: new Blob([new Uint8Array(smallPiece(7, 200))]), headers: midiType });
      expect(accepted.status).toBe(200);
      const firstStep = readEvents(at('/api/train/events'), (event) => event === 'step', 30_000);
      const { runId } = await (await fetch(at('/api/train'), { method: 'POST', body: JSON.stringify({ minutes: 0.1 }), headers: jsonType })).json();
      expect((await firstStep).some((item) => item.event === 'step')).toBe(true);
      expect(await (await fetch(at('/api/train/stop'), { method: 'POST' })).json()).toMatchObject({ state: 'idle', last: { runId, state: 'stopped' } });

      // Another budget asked: the stopped run continues from its checkpoint with the 0.3 minutes asked now.
      const published = readEvents(at('/api/train/events'), (event, data) => event === 'state' && data.status.state === 'finished', 40_000);
      const restarted = await (await fetch(at('/api/train'), { method: 'POST', body: JSON.stringify({ minutes: 0.3 }), headers: jsonType })).json();
      expect(restarted).toMatchObject({ runId, minutes: 0.3 });
      const seen = await published;
      expect(seen.some((item) => item.event === 'log' && /resumed at step [1-9]/.test(item.data.line))).toBe(true);
      expect(seen.some((item) => item.event === 'log' && /NOT held out/.test(item.data.line))).toBe(true);
      const resumedSteps = seen.filter((item) => item.event === 'step');
      // The run's whole budget is now the 18 s asked (it was 6 s before the stop; the stream replays those steps first).
      expect(resumedSteps.at(-1)!.data.budgetSeconds).toBe(18);
      expect(seen.at(-1)!.data.status).toMatchObject({ state: 'finished', runId });

      const promoted = await fetch(at(`/models/${runId}/promote`), { method: 'POST' });
      expect(promoted.status).toBe(200);
      expect(await promoted.json()).toEqual({ runId, latest: true });
      expect((await (await fetch(at('/models'))).json()).latest).toBe(runId);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('real local HTTP server over a corrupt models/latest.json', () => {
  it('starts, answers /health 200 and /generate 503 no-model, and lists no latest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rubato-corrupt-'));
    mkdirSync(join(dataDir, 'bucket/models'), { recursive: true });
    writeFileSync(join(dataDir, 'bucket/models/latest.json'), '{"schemaVersion": 1, "runId": ');
    const server = await startTestServer({ dataDir, shippedModelsDir: mkdtempSync(join(tmpdir(), 'rubato-no-model-')) });
    const at = (path: string) => new URL(path, server.url).href;
    try {
      const health = await fetch(at('/health'));
      const piece = await fetch(at('/generate?seconds=2'));
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok', latestRunId: null }]);
      expect([piece.status, (await piece.json()).error.code]).toEqual([503, 'no-model']);
      expect((await (await fetch(at('/models'))).json()).latest).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('real local HTTP server while an upload is still being checked (issue 24, item 3)', () => {
  it('answers another file under that name 409 being-checked, good music and garbage alike, and keeps the first', async () => {
    // A fresh server starts its tokenizing worker on the first upload: seconds in which that upload has no verdict.
    const server = await startTestServer();
    const at = (path: string) => new URL(path, server.url).href;
    const upload = (bytes: Uint8Array) => fetch(at('/api/uploads?name=song.mid'), { method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: midiType });
    const listed = async () => ((await (await fetch(at('/api/files'))).json()) as { files: Array<{ name: string; status: string }> }).files;
    let first: Promise<Response> | undefined;
    try {
      first = upload(smallPiece(1, 2000));
      while (!(await listed()).some((file) => file.name === 'song.mid')) await new Promise((done) => setTimeout(done, 5));

      const music = await upload(smallPiece(2));
      const garbage = await upload(new TextEncoder().encode('not a MIDI file'));

      for (const answer of [music, garbage]) {
        expect(answer.status).toBe(409);
        expect(await answer.json()).toEqual({ error: { code: 'being-checked', message: expect.stringContaining('song.mid is still being checked') } });
      }
      expect(await (await first).json()).toMatchObject({ status: 'accepted' });
      expect(await listed()).toEqual([expect.objectContaining({ name: 'song.mid', status: 'accepted' })]);
    } finally {
      await first?.catch(() => undefined); // its verdict, before the server goes
      await server.close();
    }
  }, 60_000);
});
