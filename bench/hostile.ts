import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../src/local/local-server.js';
import { MidiError } from '../src/midi/midi-error.js';
import { parseMidi } from '../src/midi/parse-midi.js';
import { denseNotesFile, manyEmptyTracksFile } from '../test/support/hostile-midi.js';
import type { Benchmark } from './benchmark.js';

const parallelUploads = 4;

function post(url: URL, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'audio/midi', 'content-length': bytes.length } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

function parseMilliseconds(bytes: Uint8Array): { ms: number; outcome: string } {
  const started = performance.now();
  let outcome = 'accepted';
  try {
    parseMidi(bytes);
  } catch (error) {
    if (!(error instanceof MidiError)) throw error;
    outcome = error.code;
  }
  return { ms: Math.round(performance.now() - started), outcome };
}

/**
 * `/health` polled back to back while `parallelUploads` copies of `bytes` upload. The server shares this process, so
 * its event loop's longest stall (which a poll can miss while it is blocked too) is measured directly as well.
 */
async function healthDuringUploads(baseUrl: string, name: string, bytes: Uint8Array) {
  const latencies: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let uploading = true;
  const started = performance.now();
  const uploads = Promise.all(
    Array.from({ length: parallelUploads }, (_, index) => post(new URL(`/api/uploads?name=${name}-${index}.mid`, baseUrl), bytes)),
  ).finally(() => (uploading = false));
  const poll = (async () => {
    while (uploading) {
      const sent = performance.now();
      await fetch(new URL('/health', baseUrl)).then((response) => response.arrayBuffer());
      latencies.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const statuses = await uploads;
  await poll;
  loopDelay.disable();
  latencies.sort((a, b) => a - b);
  return {
    statuses,
    uploadsMs: Math.round(performance.now() - started),
    healthMaxMs: Math.round(latencies.at(-1) ?? 0),
    healthP50Ms: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
    healthPolls: latencies.length,
    eventLoopMaxStallMs: Math.round(loopDelay.max / 1e6),
  };
}

export const benchmark: Benchmark = {
  description: `hostile uploads (issue 10): parse time of 5 MiB files, /health latency during ${parallelUploads} parallel uploads`,
  async run() {
    const files = { emptyTracks: manyEmptyTracksFile(), denseNotes: denseNotesFile() };
    const parse = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, parseMilliseconds(bytes)]));
    const server = await startLocalServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'rubato-hostile-')) });
    try {
      const health: Record<string, unknown> = {};
      for (const [name, bytes] of Object.entries(files)) health[name] = await healthDuringUploads(server.url, name, bytes);
      return { parse, health };
    } finally {
      await server.close();
    }
  },
};
