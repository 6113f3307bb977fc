import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultModelDir } from '../src/model/committed-models.js';
import { defaultModelShape } from '../src/model/config.js';
import { loadModel, type LoadedModel } from '../src/model/model-files.js';
import { createSampler } from '../src/model/sampler.js';
import { performanceTokenizer } from '../src/tokens/performance.js';
import { FsStore } from '../src/store/fs-store.js';
import { randomModel } from '../fixtures/model-fixtures.js';
import type { Benchmark } from './benchmark.js';

const warmupEvents = 200;
const measuredEvents = 1000;
const rounds = 3;
const decoding = { temperature: 1, topK: 0, topP: 0.95 };

/** A randomly initialised default-shape model, for machines without models/default. */
export function randomDefaultModel(): LoadedModel {
  return randomModel(defaultModelShape);
}

export const benchmark: Benchmark = {
  description: 'model load time and warm ms/event of the sampler, wasm SIMD vs plain JS matvec (models/default, --model DIR, or a random default-shape model)',
  async run(args) {
    const at = args.indexOf('--model');
    const folder = at >= 0 && args[at + 1] ? args[at + 1]! : defaultModelDir;
    const hasModel = existsSync(join(folder, 'manifest.json'));
    if (!hasModel && folder !== defaultModelDir) throw new Error(`--model ${folder}: no manifest.json there`);
    const loadStarted = performance.now();
    const model = hasModel ? await loadModel(new FsStore(folder), '') : randomDefaultModel();
    // With the tokenizer, as the generate function samples: the grammar's bookkeeping is part of the cost.
    const sampler = createSampler(model, performanceTokenizer);
    const loadMs = performance.now() - loadStarted;
    // The plain JS matvec is the fallback where wasm SIMD is missing; rounds interleave so load from other processes
    // hits both alike, and the ratio is what to compare across runs.
    const plainJs = createSampler(model, performanceTokenizer, { simd: false });
    const candidates = [['simd', sampler], ['plainJs', plainJs]] as const;
    for (const [, candidate] of candidates) candidate.generate({ stop: { maxEvents: warmupEvents }, decoding: { ...decoding, seed: 1 } });
    const timings = { simd: [] as number[], plainJs: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (const [name, candidate] of candidates) {
        const started = performance.now();
        const events = candidate.generate({ stop: { maxEvents: measuredEvents }, decoding: { ...decoding, seed: 2 + round } });
        timings[name].push((performance.now() - started) / events.length);
      }
    }
    const msPerEvent = median(timings.simd);
    const plainJsMsPerEvent = median(timings.plainJs);
    return {
      model: !hasModel ? 'random default-shape model (models/default absent)' : folder === defaultModelDir ? 'models/default' : folder,
      shape: model.shape,
      loadMs: Number(loadMs.toFixed(1)),
      options: decoding,
      msPerEvent: Number(msPerEvent.toFixed(4)),
      eventsPerSecond: Math.round(1000 / msPerEvent),
      plainJsMsPerEvent: Number(plainJsMsPerEvent.toFixed(4)),
      simdSpeedup: Number((plainJsMsPerEvent / msPerEvent).toFixed(2)),
      eventsPerRound: measuredEvents,
      rounds,
      // Issue 13: the default model at most 0.3 ms/event, a larger one under 0.5.
      targetMsPerEvent: folder === defaultModelDir ? 0.3 : 0.5,
    };
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
