import { parameterCount, parameterLayout, type ModelShape, type ParameterSpec } from './config.js';
import { SeededRandom } from './random.js';

export interface InitializeOptions {
  seed: number;
  /** Event counts per token id; when given, the output bias starts at the log unigram frequencies. */
  unigramCounts?: ArrayLike<number>;
}

/**
 * Fresh parameters laid out by `parameterLayout(shape)`, deterministic from the seed: embeddings uniform ±0.05
 * (tfjs's default), Glorot-uniform kernels, orthogonal recurrent kernels (one U×U block per gate), LSTM biases zero
 * except the forget gate at 1, dense bias zero or log unigram frequencies.
 *
 * @example
 * const parameters = initializeParameters(defaultModelShape, { seed: 1 });
 */
export function initializeParameters(shape: ModelShape, options: InitializeOptions): Float32Array {
  const random = new SeededRandom(options.seed);
  const parameters = new Float32Array(parameterCount(shape));
  for (const spec of parameterLayout(shape)) {
    const view = parameters.subarray(spec.offset, spec.offset + spec.size);
    const kind = spec.name.slice(spec.name.indexOf('/') + 1);
    if (kind === 'embeddings') fillUniform(view, 0.05, random);
    else if (kind === 'kernel') fillGlorot(view, spec, random);
    else if (kind === 'recurrent_kernel') fillOrthogonalGates(view, shape.units, random);
    else if (spec.name.startsWith('lstm')) view.fill(1, shape.units, 2 * shape.units);
    else if (options.unigramCounts) fillLogFrequencies(view, options.unigramCounts);
  }
  return parameters;
}

/** Token counts over id sequences: the unigram statistics for the output bias and the baselines. */
export function countUnigrams(sequences: Iterable<ArrayLike<number>>, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (const ids of sequences) for (let i = 0; i < ids.length; i++) counts[ids[i]!]! += 1;
  return counts;
}

/** Marks the entries weight decay applies to: kernels and embeddings, not biases. */
export function decayMask(shape: ModelShape): Uint8Array {
  const mask = new Uint8Array(parameterCount(shape));
  for (const spec of parameterLayout(shape)) {
    if (!spec.name.endsWith('/bias')) mask.fill(1, spec.offset, spec.offset + spec.size);
  }
  return mask;
}

function fillUniform(view: Float32Array, limit: number, random: SeededRandom): void {
  for (let i = 0; i < view.length; i++) view[i] = random.uniform(-limit, limit);
}

function fillGlorot(view: Float32Array, spec: ParameterSpec, random: SeededRandom): void {
  const [fanIn, fanOut] = spec.shape as [number, number];
  fillUniform(view, Math.sqrt(6 / (fanIn + fanOut)), random);
}

/** Recurrent kernel [U, 4U]: each gate's U×U block orthogonal (Gram–Schmidt on Gaussian rows). */
function fillOrthogonalGates(view: Float32Array, units: number, random: SeededRandom): void {
  const block = new Float64Array(units * units);
  for (let gate = 0; gate < 4; gate++) {
    for (let i = 0; i < block.length; i++) block[i] = random.normal();
    for (let row = 0; row < units; row++) {
      const r = row * units;
      for (let previous = 0; previous < row; previous++) {
        const p = previous * units;
        let dot = 0;
        for (let k = 0; k < units; k++) dot += block[r + k]! * block[p + k]!;
        for (let k = 0; k < units; k++) block[r + k]! -= dot * block[p + k]!;
      }
      let norm = 0;
      for (let k = 0; k < units; k++) norm += block[r + k]! * block[r + k]!;
      const scale = 1 / Math.sqrt(norm);
      for (let k = 0; k < units; k++) block[r + k]! *= scale;
    }
    for (let row = 0; row < units; row++) {
      for (let k = 0; k < units; k++) view[row * 4 * units + gate * units + k] = block[row * units + k]!;
    }
  }
}

function fillLogFrequencies(bias: Float32Array, counts: ArrayLike<number>): void {
  let total = 0;
  for (let i = 0; i < bias.length; i++) total += counts[i] ?? 0;
  // Add-one smoothing keeps unseen ids finite (and rare rather than impossible).
  for (let i = 0; i < bias.length; i++) bias[i] = Math.log(((counts[i] ?? 0) + 1) / (total + bias.length));
}
