import { adamStep, createAdamState } from '../src/model/adam.js';
import { defaultModelShape, parameterCount, type ModelShape } from '../src/model/config.js';
import type { GradientEngine } from '../src/model/engine/engine.js';
import { createFastEngine } from '../src/model/engine/fast-engine.js';
import { createParallelEngine } from '../src/model/engine/parallel-engine.js';
import { initializeParameters } from '../src/model/initialize.js';
import type { Benchmark } from './benchmark.js';
import { measureStockLstm } from './stock-lstm.js';

const steps = 128;

interface Run {
  engine: string;
  units: number;
  batchSize: number;
}

const runs: Run[] = [
  { engine: 'fast, 1 thread', units: 256, batchSize: 32 },
  { engine: 'fast, 1 thread', units: 256, batchSize: 128 },
  { engine: 'fast, 2 workers', units: 256, batchSize: 32 },
  { engine: 'fast, 2 workers', units: 256, batchSize: 128 },
  { engine: 'fast, 2 workers', units: 512, batchSize: 128 },
];

// `--scaling`: what one more worker buys, at 16 and 32 sequences per worker (the default model).
const scalingRuns: Run[] = [
  { engine: 'fast, 1 worker', units: 256, batchSize: 16 },
  { engine: 'fast, 1 worker', units: 256, batchSize: 32 },
  { engine: 'fast, 1 worker', units: 256, batchSize: 64 },
  { engine: 'fast, 2 workers', units: 256, batchSize: 32 },
  { engine: 'fast, 2 workers', units: 256, batchSize: 64 },
];

/** Milliseconds the main thread spends per step adding one worker's gradient into the average (the all-reduce). */
function allReduceMsPerWorker(shape: ModelShape): number {
  const total = new Float32Array(parameterCount(shape));
  const own = Float32Array.from(total, (_, i) => Math.sin(i));
  const repeats = 20;
  const start = performance.now();
  for (let repeat = 0; repeat < repeats; repeat++) for (let i = 0; i < total.length; i++) total[i]! += 0.5 * own[i]!;
  return Math.round(((performance.now() - start) / repeats) * 100) / 100;
}

/** Times training steps (loss, gradients, Adam) for about `seconds` after one warm-up step. */
async function measureEngine(engine: GradientEngine, shape: ModelShape, batchSize: number, seconds: number) {
  const parameters = initializeParameters(shape, { seed: 1 });
  const gradients = new Float32Array(parameters.length);
  const adam = createAdamState(parameters.length);
  const random = () => Int32Array.from({ length: batchSize * steps }, () => Math.floor(Math.random() * shape.vocabSize));
  const batch = { inputs: random(), targets: random(), batchSize, steps };
  const step = async () => {
    await engine.lossAndGradients(parameters, batch, gradients);
    adamStep(parameters, gradients, adam, 1e-3);
  };
  await step();
  const start = performance.now();
  let count = 0;
  while (count < 2 || performance.now() - start < seconds * 1000) {
    await step();
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { eventsPerSecond: (count * batchSize * steps) / elapsed, secondsPerStep: elapsed / count, timedSteps: count };
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

export const benchmark: Benchmark = {
  description: `training steps (loss + gradients + Adam), ${steps}-step windows: fast engine (1 thread, 2 workers) vs the stock tfjs LSTM layer on tfjs-wasm; pass --no-stock to skip the slow baseline, --scaling for 1 vs 2 workers at 16–32 sequences each`,
  async run(args) {
    const scaling = args.includes('--scaling');
    const results: Record<string, unknown>[] = [];
    for (const run of scaling ? scalingRuns : runs) {
      const shape = { ...defaultModelShape, units: run.units };
      const workers = Number(/(\d) workers?/.exec(run.engine)?.[1] ?? 0);
      const engine = workers > 0 ? await createParallelEngine(shape, { workers }) : await createFastEngine(shape);
      const measured = await measureEngine(engine, shape, run.batchSize, 10);
      await engine.dispose();
      results.push({ ...run, steps, parameters: parameterCount(shape), ...summarise(measured, shape), rssMB: mb(process.memoryUsage().rss), peakRssMB: mb(process.resourceUsage().maxRSS * 1024) });
      console.log(JSON.stringify(results.at(-1)));
    }
    if (scaling) return { runs: results, allReduceMsPerWorker: allReduceMsPerWorker(defaultModelShape) };
    if (args.includes('--no-stock')) return { runs: results };
    // Last, so its ≈2 GB peak does not hide the fast engine's.
    const stock = await measureStockLstm(defaultModelShape, 32, steps, 2);
    const stockResult = { engine: 'stock tf.layers.lstm, tfjs-wasm', units: 256, batchSize: 32, steps, ...summarise(stock, defaultModelShape), peakRssMB: mb(process.resourceUsage().maxRSS * 1024) };
    for (const result of results)
      if (result.units === 256) result.timesStock = Math.round(((result.eventsPerSecond as number) / stock.eventsPerSecond) * 10) / 10;
    return { stock: stockResult, runs: results };
  },
};

function summarise(measured: { eventsPerSecond: number; secondsPerStep: number }, shape: ModelShape) {
  return {
    eventsPerSecond: Math.round(measured.eventsPerSecond),
    secondsPerStep: Math.round(measured.secondsPerStep * 1000) / 1000,
    effectiveGflops: Math.round((6 * parameterCount(shape) * measured.eventsPerSecond) / 1e8) / 10,
  };
}
