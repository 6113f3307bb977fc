import { availableParallelism } from 'node:os';
import type { ModelShape } from '../config.js';
import type { EngineName, GradientEngine } from './engine.js';
import { createTfjsEngine } from './tfjs-engine.js';
import { installedTfjsNodeVersion, tfjsNodeRuntimeGap } from './tfjs-node-support.js';

export type EngineChoice = 'auto' | EngineName;

export interface SelectEngineOptions {
  engine?: EngineChoice;
  /** Most worker threads for the fast engine (`--threads`); 1 runs it in this thread. Default: every core. */
  workers?: number;
  /** Sequences per batch: fewer workers than cores when each would get less than {@link minSequencesPerWorker}. */
  batchSize?: number;
  /** Receives one line saying which engine was chosen and why. */
  log?: (line: string) => void;
}

/** The requested engine cannot run here (e.g. `tfjs-node` asked for but not installed). */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
}

/**
 * Each worker's share of a batch must stay this large: its matrix products shrink with it while the per-step costs
 * (posting the share, summing every worker's full gradient) do not.
 */
export const minSequencesPerWorker = 16;

/**
 * Worker threads for the fast engine: every core (or `workers`, a cap), but no more than keeps each worker's share
 * of the batch at {@link minSequencesPerWorker} sequences.
 *
 * @example fastEngineWorkers({ batchSize: 64 }) // 2 on a 2-core machine, 4 on 16 cores
 */
export function fastEngineWorkers(options: { workers?: number; batchSize?: number }, cores: number = availableParallelism()): number {
  const byBatch = options.batchSize === undefined ? Infinity : Math.floor(options.batchSize / minSequencesPerWorker);
  return Math.max(1, Math.min(options.workers ?? cores, byBatch));
}

// A variable specifier: tfjs-node is an optional dependency that may be absent at type-check time too.
const tfjsNodeModule = '@tensorflow/tfjs-node';

/**
 * Picks the gradient engine: 'auto' takes tfjs-node where it loads (native TensorFlow), else the fast engine (in
 * parallel workers), else — if onnxruntime-node cannot load — the plain tfjs reference. Logs the choice and the reason.
 *
 * @example
 * const engine = await selectEngine(defaultModelShape, { engine: 'auto' });
 */
export async function selectEngine(shape: ModelShape, options: SelectEngineOptions = {}): Promise<GradientEngine> {
  const { engine = 'auto', log = console.log } = options;
  const workers = fastEngineWorkers(options);
  if (engine === 'tfjs') {
    log('engine: tfjs (requested; the pure-JS reference on the cpu backend, slow)');
    return createTfjsEngine(shape, { backend: 'cpu' });
  }
  if (engine === 'tfjs-node' || engine === 'auto') {
    const failure = await loadTfjsNode();
    if (!failure) {
      log(`engine: tfjs-node (${engine === 'auto' ? 'auto: @tensorflow/tfjs-node loaded' : 'requested'})`);
      return createTfjsEngine(shape, { backend: 'tensorflow' });
    }
    if (engine === 'tfjs-node') throw new EngineUnavailableError(`engine tfjs-node requested but @tensorflow/tfjs-node does not load: ${failure}`);
    log(`engine: auto: @tensorflow/tfjs-node does not load (${firstLine(failure)}); trying fast`);
  }
  try {
    const fast = await createFast(shape, workers);
    log(`engine: fast (${engine === 'auto' ? 'auto' : 'requested'}; onnxruntime-node, ${workers > 1 ? `${workers} worker threads` : 'this thread'})`);
    return fast;
  } catch (error) {
    log(`engine: tfjs (fallback: the fast engine failed to start: ${firstLine(String(error))})`);
    return createTfjsEngine(shape, { backend: 'cpu' });
  }
}

async function createFast(shape: ModelShape, workers: number): Promise<GradientEngine> {
  if (workers > 1) return (await import('./parallel-engine.js')).createParallelEngine(shape, { workers });
  return (await import('./fast-engine.js')).createFastEngine(shape);
}

/** Undefined when tfjs-node loaded (registering the 'tensorflow' backend), else why not. */
async function loadTfjsNode(): Promise<string | undefined> {
  // Checked before importing: a release that cannot run here would still import, and then fail at the first op.
  const gap = tfjsNodeRuntimeGap(installedTfjsNodeVersion());
  if (gap) return gap;
  try {
    await import(tfjsNodeModule);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
