import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalServer } from '../src/local/local-server.js';
import { MidiError } from '../src/midi/midi-error.js';
import { parseMidi } from '../src/midi/parse-midi.js';
import { denseNotesFile, manyEmptyTracksFile } from '../test/support/hostile-midi.js';
import type { Benchmark } from './benchmark.js';
import { postMidi } from './upload-client.js';

const parallelUploads = 4;

/**
 * Issue 24 item 7: 30 clients upload the dense 5 MiB file at once, from a process of their own (each waits out a 503's
 * Retry-After and sends again, as a careful client does). The server must hold its resident memory and `/health` under
 * these figures meanwhile.
 */
const crowd = { uploads: 30, rssPeakMbLimit: 1024, healthMaxMsLimit: 500 };

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
 * is measured directly as well, and the resident memory is the server's (with the poller's and in-process clients').
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
    Promise.all(Array.from({ length: parallelUploads }, (_, index) => postMidi(new URL(`/api/uploads?name=${name}-${index}.mid`, baseUrl), bytes))),
  );
  return { statuses: result.map((answer) => answer.status), ...measured };
}

/** The crowd's uploads; `passed` says whether the server kept within the limits of {@link crowd}. */
async function crowdUploads(baseUrl: string, bytes: Uint8Array) {
  const file = join(mkdtempSync(join(tmpdir(), 'rubato-crowd-')), 'dense.mid');
  writeFileSync(file, bytes);
  const client = join(dirname(fileURLToPath(import.meta.url)), 'crowd-client.ts');
  const { result, ...measured } = await measureDuring(baseUrl, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', client, baseUrl, file, String(crowd.uploads)], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as Array<{ status: number; busyAnswers: number }>;
  });
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
