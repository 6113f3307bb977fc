import { LstmCell, type LstmCellOptions } from './lstm-cell.js';
import type { LoadedModel } from './model-files.js';
import { SeededRandom } from './random.js';

export interface GenerateOptions {
  /** Stop after this many new events. */
  maxEvents?: number;
  /** Stop once the new events advance this many seconds of music (needs the tokenizer given to createSampler). */
  maxSeconds?: number;
  /** Softmax temperature; lower is safer, higher is wilder. */
  temperature: number;
  /** Keep only the k likeliest ids (0 = all). */
  topK: number;
  /** Keep the smallest set of likeliest ids whose probability reaches p (1 = all). */
  topP: number;
  seed: number;
  /** Events fed through first, so the new events continue them. */
  primer?: ArrayLike<number>;
  /** Epoch milliseconds after which generation stops with what it has. */
  deadline?: number;
  /** Control inputs held for the whole piece, primer included (a model with controls; see `requestControls`). */
  controls?: Float32Array;
}

export interface Sampler {
  /** The new events only (not the primer). Same options and seed → same events. */
  generate(options: GenerateOptions): Uint16Array;
}

export class SamplingError extends Error {
  override name = 'SamplingError';
}

/**
 * A sampler that runs the model one event at a time in JS (its matvecs in embedded wasm SIMD, see matvec.ts),
 * carrying the recurrent state. `cellOptions` exist for tests and benchmarks of the plain-JS fallback.
 *
 * @example
 * const sampler = createSampler(await loadModel(store, 'models/default/'), tokenizer);
 * const ids = sampler.generate({ maxEvents: 512, temperature: 1, topK: 0, topP: 0.95, seed: 7 });
 */
export function createSampler(
  model: LoadedModel,
  timing?: { secondsOf(id: number): number },
  cellOptions?: LstmCellOptions,
): Sampler {
  const cell = new LstmCell(model.shape, model.parameters, cellOptions);
  const vocabSize = model.shape.vocabSize;
  const probabilities = new Float64Array(vocabSize);
  const candidates = new Int32Array(vocabSize);
  const byProbability = (a: number, b: number) => probabilities[b]! - probabilities[a]! || a - b;

  const drawNext = (options: GenerateOptions, random: SeededRandom): number => {
    const logits = cell.logits;
    let maximum = -Infinity;
    for (let id = 0; id < vocabSize; id++) maximum = Math.max(maximum, logits[id]!);
    let total = 0;
    for (let id = 0; id < vocabSize; id++) {
      const probability = Math.exp((logits[id]! - maximum) / options.temperature);
      probabilities[id] = probability;
      total += probability;
    }
    if (options.topK === 0 && options.topP === 1) return pick(random.next() * total, vocabSize, (i) => i);

    // Only the likeliest ids need ranking. Every id below the floor is less likely than every id above it, so the
    // full ranking starts with the ranked candidates; lower the floor until they hold the top-k / top-p set.
    const limit = options.topK > 0 ? Math.min(options.topK, vocabSize) : vocabSize;
    let count = 0;
    for (let floor = 1e-3; ; floor = floor > 1e-12 ? floor * 1e-3 : 0) {
      count = 0;
      let candidateTotal = 0;
      for (let id = 0; id < vocabSize; id++) {
        if (probabilities[id]! >= floor) {
          candidates[count++] = id;
          candidateTotal += probabilities[id]!;
        }
      }
      if (floor === 0 || count >= limit || (options.topK === 0 && candidateTotal >= options.topP * total)) break;
    }
    // Ties go to the lower id, so a seed's piece never depends on the order ids arrived in.
    const ranked = candidates.subarray(0, count).sort(byProbability);
    const considered = Math.min(limit, count);
    if (options.topK > 0) {
      total = 0;
      for (let rank = 0; rank < considered; rank++) total += probabilities[ranked[rank]!]!;
    }
    let kept = 0;
    let cumulative = 0;
    while (kept < considered) {
      cumulative += probabilities[ranked[kept]!]!;
      kept += 1;
      if (cumulative >= options.topP * total) break;
    }
    return pick(random.next() * cumulative, kept, (rank) => ranked[rank]!);
  };

  /** The id where the running sum of probabilities passes `threshold`, walking `count` ids in the given order. */
  const pick = (threshold: number, count: number, idAt: (index: number) => number): number => {
    for (let index = 0; index < count; index++) {
      threshold -= probabilities[idAt(index)]!;
      if (threshold < 0) return idAt(index);
    }
    return idAt(count - 1);
  };

  return {
    generate(options) {
      validate(options, timing !== undefined);
      const random = new SeededRandom(options.seed);
      cell.reset();
      cell.setControls(options.controls);
      for (let i = 0; i < (options.primer?.length ?? 0); i++) cell.step(options.primer![i]!);
      const maxEvents = options.maxEvents ?? Number.MAX_SAFE_INTEGER;
      const events: number[] = [];
      let seconds = 0;
      while (events.length < maxEvents) {
        if (events.length % 32 === 0 && options.deadline !== undefined && Date.now() >= options.deadline) break;
        const id = drawNext(options, random);
        events.push(id);
        if (options.maxSeconds !== undefined) {
          seconds += timing!.secondsOf(id);
          if (seconds >= options.maxSeconds) break;
        }
        cell.step(id);
      }
      return Uint16Array.from(events);
    },
  };
}

function validate(options: GenerateOptions, hasTiming: boolean): void {
  if (options.maxEvents === undefined && options.maxSeconds === undefined && options.deadline === undefined) {
    throw new SamplingError('generate needs maxEvents, maxSeconds or a deadline, or it would never stop');
  }
  if (options.maxSeconds !== undefined && !hasTiming) {
    throw new SamplingError('maxSeconds needs the tokenizer: createSampler(model, tokenizer)');
  }
  if (!(options.temperature > 0)) throw new SamplingError(`temperature must be > 0, got ${options.temperature}`);
  if (!(options.topP > 0 && options.topP <= 1)) throw new SamplingError(`topP must be in (0, 1], got ${options.topP}`);
  if (!(Number.isInteger(options.topK) && options.topK >= 0)) {
    throw new SamplingError(`topK must be a whole number ≥ 0, got ${options.topK}`);
  }
}
