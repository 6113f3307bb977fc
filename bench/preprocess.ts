import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import tonejs from '@tonejs/midi';
import { localInputReader } from '../src/cli/read-input-file.js';
import { defaultMidiLimits } from '../src/midi/midi-limits.js';
import { preprocessBatch } from '../src/pipeline/preprocess-batch.js';
import { FsStore } from '../src/store/fs-store.js';
import type { Benchmark } from './benchmark.js';

// @tonejs/midi is CommonJS whose named exports Node cannot detect: take them from the default export.
const { Midi } = tonejs;

const defaultFolder = resolve(import.meta.dirname, '../../shared/data/piano/train');

/** Bare `new Midi(bytes)` over files already in memory, one thread: the yardstick. */
function bareParse(files: readonly Uint8Array[]): { seconds: number; notes: number } {
  const started = performance.now();
  let notes = 0;
  for (const bytes of files) for (const track of new Midi(bytes).tracks) notes += track.notes.length;
  return { seconds: (performance.now() - started) / 1000, notes };
}

async function pipeline(paths: readonly string[], jobs: number) {
  const out = await mkdtemp(join(tmpdir(), 'rubato-bench-preprocess-'));
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await preprocessBatch({ files: paths, read: localInputReader(defaultMidiLimits.maxBytes), store: new FsStore(out), tokenizer: 'performance', jobs });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // CPU of every thread of the process (main, workers, V8's and libuv's helpers) over the wall time: how many cores
    // the batch kept busy. One worker already keeps more than one busy, which caps what a second can add on 2 cores.
    const coresBusy = (cpu.user + cpu.system) / 1e6 / seconds;
    return { jobs, seconds, coresBusy, filesPerSecond: paths.length / seconds, eventsPerSecond: report.totals.events / seconds, accepted: report.totals.accepted, events: report.totals.events };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  description: 'rubato preprocess (read, parse, tokenize, write; worker threads) vs bare @tonejs/midi parsing of the same files',
  async run(args) {
    const folder = args[0] ?? defaultFolder;
    const paths = (await readdir(folder)).filter((name) => /\.(mid|midi|rmi)$/i.test(name)).sort().map((name) => join(folder, name));
    const bytes = await Promise.all(paths.map(async (path) => new Uint8Array(await readFile(path))));
    // Alternate the two so load from other processes on the machine hits both alike; keep each one's best run.
    const bare = [bareParse(bytes)];
    const withWorkers = [await pipeline(paths, 2)];
    bare.push(bareParse(bytes));
    withWorkers.push(await pipeline(paths, 2));
    const oneWorker = await pipeline(paths, 1);
    const bestBare = bare.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const best = withWorkers.reduce((fastest, run) => (run.seconds < fastest.seconds ? run : fastest));
    const bareFilesPerSecond = paths.length / bestBare.seconds;
    return {
      folder,
      files: paths.length,
      events: best.events,
      accepted: best.accepted,
      cores: availableParallelism(),
      pipeline: { seconds: best.seconds, coresBusy: best.coresBusy, filesPerSecond: best.filesPerSecond, eventsPerSecond: best.eventsPerSecond, workers: 2 },
      pipelineOneWorker: { seconds: oneWorker.seconds, coresBusy: oneWorker.coresBusy, filesPerSecond: oneWorker.filesPerSecond, eventsPerSecond: oneWorker.eventsPerSecond },
      bareTonejsParse: { seconds: bestBare.seconds, filesPerSecond: bareFilesPerSecond, notes: bestBare.notes },
      ratioToBareParse: best.filesPerSecond / bareFilesPerSecond,
      speedupOfTwoWorkers: oneWorker.seconds / best.seconds,
    };
  },
};
