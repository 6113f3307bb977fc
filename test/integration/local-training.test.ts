import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../src/local/local-server.js';
import { keys } from '../../src/pipeline/keys.js';
import { FsStore } from '../../src/store/fs-store.js';
import { readEvents } from '../support/event-stream.js';
import { smallPiece, startTestServer } from '../support/local-server.js';

const jsonType = { 'content-type': 'application/json' };

/** A trainer lease as another trainer would have left it: held for 5 more minutes, its run due to end in 10. */
function leaseOf(holder: { pid: number; host: string }): Uint8Array {
  const now = Date.now();
  const lease = {
    schemaVersion: 1,
    holder: 'another-trainer',
    acquiredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 300_000).toISOString(),
    expectedEndAt: new Date(now + 600_000).toISOString(),
    ...holder,
  };
  return new TextEncoder().encode(JSON.stringify(lease));
}

describe('local training runs (real local server)', () => {
  let server: LocalServer;
  let bucket: FsStore;
  const at = (path: string) => new URL(path, server.url).href;
  const startTraining = (minutes: number) => fetch(at('/api/train'), { method: 'POST', body: JSON.stringify({ minutes }), headers: jsonType });
  const status = async () => (await fetch(at('/api/train'))).json();
  const stopTraining = async () => (await fetch(at('/api/train/stop'), { method: 'POST' })).json();

  const serverLog: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ log: (line) => serverLog.push(line) });
    bucket = new FsStore(join(server.dataDir, 'bucket'));
    const accepted = await fetch(at('/api/uploads?name=piece.mid'), { method: 'POST', body: new Blob([new Uint8Array(smallPiece(3, 200))]), headers: { 'content-type': 'audio/midi' } });
    expect(accepted.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('two starts at once (a double-click): one run starts, the other is told a run is starting; Stop reaches the run', async () => {
    const answers = await Promise.all([startTraining(1), startTraining(1)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const refused = await answers.find((answer) => answer.status === 409)!.json();
    expect(refused.error).toEqual({ code: 'training-starting', message: 'a training run is starting' });
    const { runId } = await answers.find((answer) => answer.status === 202)!.json();
    expect(await status()).toMatchObject({ state: 'running', runId });
    expect(await stopTraining()).toMatchObject({ state: 'idle', last: { runId, state: 'stopped' } });
  }, 60_000);

  it('the stopped run\'s progress carries its baselines as a typed record; no log line names an undefined run', async () => {
    const { last } = await status();

    const progress = await (await fetch(at(`/api/runs/${last.runId}/progress`))).json();

    expect(progress).toMatchObject({ published: false, baselines: { unigram: expect.any(Number), bigram: expect.any(Number), trigram: expect.any(Number) } });
    expect(serverLog.filter((line) => line.includes('undefined'))).toEqual([]);
    expect(serverLog.some((line) => /^trainer: train requests/.test(line))).toBe(true);
  });

  it('a lease another trainer holds: 409 with the reason, its expiry and Retry-After, never a 202 for a run that will not train', async () => {
    await bucket.put(keys.trainerLease, leaseOf({ pid: 4242, host: 'another-host' }));

    const answer = await startTraining(1);

    expect(answer.status).toBe(409);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(500);
    const { error } = await answer.json();
    expect(error.code).toBe('trainer-lease-held');
    expect(error.message).toMatch(/another trainer \(process 4242 on another-host\) holds the trainer lease until \d{4}-\d\d-\d\dT.*; try again in \d+ s/);
    expect(await status()).toMatchObject({ state: 'idle', last: { state: 'stopped' } });
  }, 60_000);

  it('a lease left by a trainer killed on this host (kill -9) is taken over at once', async () => {
    const killed = spawnSync(process.execPath, ['-e', '']).pid!;
    await bucket.put(keys.trainerLease, leaseOf({ pid: killed, host: hostname() }));

    const answer = await startTraining(1);

    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ state: 'running', runId: expect.any(String) });
    expect(JSON.parse(new TextDecoder().decode(await bucket.get(keys.trainerLease)))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await stopTraining()).toMatchObject({ state: 'idle', last: { state: 'stopped' } });
  }, 60_000);

  it('a run that publishes streams typed baselines and published events (the page reads these, not log lines)', async () => {
    const events = readEvents(at('/api/train/events'), (event) => event === 'published', 50_000);
    const answer = await startTraining(0.1);
    expect(answer.status).toBe(202);
    const { runId } = await answer.json();

    const seen = await events;

    expect(seen.find((item) => item.event === 'baselines')?.data).toMatchObject({ runId, baselines: { unigram: expect.any(Number), trigram: expect.any(Number) } });
    expect(seen.at(-1)).toEqual({ event: 'published', data: { kind: 'published', runId, promoted: expect.any(Boolean), reason: expect.stringMatching(/promoted/) } });
  }, 60_000);
});
