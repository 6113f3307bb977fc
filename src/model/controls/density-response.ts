import type { Tokenizer } from '../../tokens/tokenizer.js';
import type { LoadedModel } from '../model-files.js';
import { createSampler, lengthInSeconds } from '../sampler.js';
import { controlLayout, type ControlSpec } from './control-spec.js';

/**
 * How a fresh model is calibrated: 4 pieces of 30 s per bin (≈ 10 s for the default shape on one core), sampled with
 * the API's default settings, on seeds no benchmark judges with.
 */
export const defaultDensityCalibration: DensityResponseOptions = { pieces: 4, seconds: 30, firstSeed: 1001, temperature: 1, topP: 0.95 };

export interface DensityResponseOptions {
  /** Pieces per bin; their median is the bin's response. */
  pieces: number;
  seconds: number;
  /** Seeds `firstSeed … firstSeed + pieces − 1`: keep them apart from the seeds a benchmark judges with. */
  firstSeed: number;
  temperature: number;
  topP: number;
}

/**
 * Notes per second the model writes when each density bin is asked for alone (median over a few pieces, sampled as
 * the generate use case samples). A model conditioned on the next seconds' density drifts from it over a free-running
 * piece; `requestControls` uses this response to feed the bin that gives the density asked.
 *
 * @example spec.densityResponse = measureDensityResponse(model, tokenizer, { pieces: 4, seconds: 30, firstSeed: 1001, temperature: 1, topP: 0.95 });
 */
export function measureDensityResponse(model: LoadedModel, tokenizer: Tokenizer, options: DensityResponseOptions): number[] {
  const spec: ControlSpec | undefined = model.manifest.controls;
  if (!spec) throw new RangeError('the model was trained without controls: it has no density bins to measure');
  const layout = controlLayout(spec);
  const sampler = createSampler(model, tokenizer);
  return Array.from({ length: spec.densityEdges.length + 1 }, (_, bin) => {
    const controls = new Float32Array(layout.width);
    controls[layout.density + bin] = 1;
    const rates = Array.from({ length: options.pieces }, (_, piece) => {
      const ids = sampler.generate({
        stop: lengthInSeconds(options.seconds),
        decoding: { temperature: options.temperature, topK: 0, topP: options.topP, seed: options.firstSeed + piece },
        controls,
      });
      return tokenizer.decode(ids).notes.length / options.seconds;
    });
    return Math.round(median(rates) * 100) / 100;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
