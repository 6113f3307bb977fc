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

/**
 * Issue 24 item 7: 30 clients upload the dense 5 MiB file at once (each waits out a 503's Retry-After and sends again,
 * as a careful client does). The server must hold its resident memory and `/health` under these figures meanwhile.
 */
const crowd = { uploads: 30, rssPeakMbLimit: 1024, healthMaxMsLimit: 500 };

interface Answer {
  status: number;
  retryAfterSeconds?: number;
}

function post(url: URL, bytes: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'audio/midi', 'content-length': bytes.length } }, (response) => {
      response.resume();
      const retryAfter = Number(response.headers['retry-after']);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) }));
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

/** Uploads until the answer is not a 503, waiting the Retry-After asked between tries. */
async function postUntilServed(url: URL, bytes: Uint8Array): Promise<{ status: number; busyAnswers: number }> {
  for (let busyAnswers = 0; ; busyAnswers++) {
    const answer = await post(url, bytes);
    if (answer.status !== 503) return { status: answer.status, busyAnswers };
    await new Promise((resolve) => setTimeout(resolve, (answer.retryAfterSeconds ?? 1) * 1000));
  }
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
 * `/health` polled back to back and this process's resident memory sampled while `work` runs. The server shares this
 * process (its worker threads too), so its event loop's longest stall (which a poll can miss while it is blocked too)
 * is measured directly as well, and the resident memory counts the server's and the clients' together.
 */
async function measureDuring<Result>(baseUrl: string, work: () => Promise<Result>) {
  const latencies: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 50);
  let working = true;
  const started = performance.now();
  const done = work().finally(() => (working = false));
  const poll = (async () => {
    while (working) {
      const sent = performance.now();
      await fetch(new URL('/health', baseUrl)).then((response) => response.arrayBuffer());
      latencies.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const result = await done;
  await poll;
  clearInterval(sampler);
  loopDelay.disable();
  latencies.sort((a, b) => a - b);
  return {
    result,
    workMs: Math.round(performance.now() - started),
    healthMaxMs: Math.round(latencies.at(-1) ?? 0),
    healthP50Ms: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
    healthPolls: latencies.length,
    eventLoopMaxStallMs: Math.round(loopDelay.max / 1e6),
    rssPeakMb: Math.round(rssPeak / 2 ** 20),
    rssAfterMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
  };
}

async function healthDuringUploads(baseUrl: string, name: string, bytes: Uint8Array) {
  const { result, ...measured } = await measureDuring(baseUrl, () =>
    Promise.all(Array.from({ length: parallelUploads }, (_, index) => post(new URL(`/api/uploads?name=${name}-${index}.mid`, baseUrl), bytes))),
  );
  return { statuses: result.map((answer) => answer.status), ...measured };
}

/** The crowd's uploads; `passed` says whether the server kept within the limits of {@link crowd}. */
async function crowdUploads(baseUrl: string, bytes: Uint8Array) {
  const { result, ...measured } = await measureDuring(baseUrl, () =>
    Promise.all(Array.from({ length: crowd.uploads }, (_, index) => postUntilServed(new URL(`/api/uploads?name=crowd-${index}.mid`, baseUrl), bytes))),
  );
  const statuses: Record<number, number> = {};
  for (const { status } of result) statuses[status] = (statuses[status] ?? 0) + 1;
  return {
    uploads: crowd.uploads,
    statuses,
    busyAnswers: result.reduce((total, { busyAnswers }) => total + busyAnswers, 0),
    ...measured,
    limits: { rssPeakMb: crowd.rssPeakMbLimit, healthMaxMs: crowd.healthMaxMsLimit },
    passed: measured.rssPeakMb < crowd.rssPeakMbLimit && measured.healthMaxMs < crowd.healthMaxMsLimit && statuses[200] === crowd.uploads,
  };
}

export const benchmark: Benchmark = {
  description:
    `hostile uploads (issues 10, 24): parse time of 5 MiB files, /health latency during ${parallelUploads} parallel uploads, ` +
    `peak memory and /health during ${crowd.uploads} parallel dense 5 MiB uploads`,
  async run() {
    const files = { emptyTracks: manyEmptyTracksFile(), denseNotes: denseNotesFile() };
    const parse = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, parseMilliseconds(bytes)]));
    const server = await startLocalServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'rubato-hostile-')) });
    try {
      const crowded = await crowdUploads(server.url, files.denseNotes);
      const health: Record<string, unknown> = {};
      for (const [name, bytes] of Object.entries(files)) health[name] = await healthDuringUploads(server.url, name, bytes);
      return { parse, crowd: crowded, health };
    } finally {
      await server.close();
    }
  },
};
