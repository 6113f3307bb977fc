import { mixUint32 } from '../../dataset/stable-hash.js';

/**
 * Inverted dropout on the non-recurrent connections (Zaremba et al., "Recurrent neural network regularization", 2014):
 * the input of every LSTM layer and of the output layer. The recurrence itself is left alone, so the carried state
 * stays exact. Kept values are scaled by 1 / (1 − rate), so inference needs no change.
 */
export interface Dropout {
  /** Chance that a value is dropped, in [0, 1). */
  rate: number;
  /** With the sequence's global index, fixes its masks: the same batch draws the same masks wherever it runs. */
  seed: number;
  /** Global index of the batch's first sequence, so a batch split over workers draws what one engine would. */
  firstSequence: number;
}

/**
 * Fills `out` (time-major rows t·B + b, `width` columns) with each value's dropout factor for connection `slot`
 * (0…layers−1: input of that LSTM layer; layers: input of the output layer): 0 with chance `rate`, else 1 / (1 − rate).
 * A pure function of (seed, slot, global sequence, step, column).
 *
 * @example
 * dropoutFactors({ rate: 0.1, seed: 7, firstSequence: 0 }, 0, batchSize, steps, width, factors);
 */
export function dropoutFactors(dropout: Dropout, slot: number, batchSize: number, steps: number, width: number, out: Float32Array): void {
  const { rate, seed, firstSequence } = dropout;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  if (out.length < batchSize * steps * width) throw new RangeError(`dropout factors need ${batchSize * steps * width} floats, got ${out.length}`);
  const keep = 1 / (1 - rate);
  const threshold = Math.floor(rate * 4294967296);
  for (let b = 0; b < batchSize; b++)
    for (let t = 0; t < steps; t++) {
      // One hash seeds the row and xorshift32 draws its columns: a step masks millions of values, a row only hundreds.
      let x = mixUint32(seed, slot, firstSequence + b, t) || 1;
      const row = (t * batchSize + b) * width;
      for (let j = 0; j < width; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        out[row + j] = x >>> 0 < threshold ? 0 : keep;
      }
    }
}

/** The batch's dropout when it drops anything; a rate of 0 is the same as none. */
export function activeDropout(dropout: Dropout | undefined): Dropout | undefined {
  return dropout && dropout.rate > 0 ? dropout : undefined;
}

/** out[i] = values[i] × factors[i] for the first `length` values (out may be `values`). */
export function multiplyInto(values: Float32Array, factors: Float32Array, out: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) out[i] = values[i]! * factors[i]!;
}
