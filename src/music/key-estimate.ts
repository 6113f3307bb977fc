import type { MusicalKey } from './musical-key.js';

/** Krumhansl–Kessler probe-tone profiles (Krumhansl 1990), tonic first. */
export const krumhanslKessler = {
  major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
  minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
} as const;

/** The key a pitch-class distribution fits best, and how well (Pearson correlation, −1…1). */
export interface KeyEstimate extends MusicalKey {
  correlation: number;
}

/**
 * Krumhansl–Schmuckler key finding: the key whose rotated Krumhansl–Kessler profile correlates best with the
 * pitch-class weights (durations or counts, C = 0). Undefined when the weights are all equal (no notes).
 *
 * @example estimateKey(durationByPitchClass) // { tonic: 2, mode: 'minor', correlation: 0.87 } = D minor
 */
export function estimateKey(weights: ArrayLike<number>): KeyEstimate | undefined {
  let best: KeyEstimate | undefined;
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const correlation = pearson(weights, (pitchClass) => krumhanslKessler[mode][(pitchClass - tonic + 12) % 12]!);
      if (Number.isFinite(correlation) && (!best || correlation > best.correlation)) best = { tonic, mode, correlation };
    }
  }
  return best;
}

function pearson(x: ArrayLike<number>, y: (i: number) => number): number {
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < 12; i++) (meanX += x[i]! / 12), (meanY += y(i) / 12);
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < 12; i++) {
    const dx = x[i]! - meanX;
    const dy = y(i) - meanY;
    xy += dx * dy;
    xx += dx * dx;
    yy += dy * dy;
  }
  return xy / Math.sqrt(xx * yy);
}
