import type { NoteSequence } from '../midi/note-sequence.js';

/** Krumhansl & Kessler's probe-tone ratings (1982), tonic first: how well each scale degree fits the key. */
const majorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const minorProfile = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** Tonic names as keys are usually written (F#, not Gb; Bb, not A#), and the minor ones. */
const majorNames = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const minorNames = ['Cm', 'C#m', 'Dm', 'Ebm', 'Em', 'Fm', 'F#m', 'Gm', 'G#m', 'Am', 'Bbm', 'Bm'];

export type KeyMode = 'major' | 'minor';

export interface KeyEstimate {
  /** One of the 24 keys: `C`, `F#`, `Bb`… for major, `Am`, `C#m`, `Bbm`… for minor. */
  key: string;
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  tonic: number;
  mode: KeyMode;
  /** Pearson correlation of the piece's pitch-class weights with the key's profile (-1 … 1; NaN for no notes). */
  correlation: number;
}

/** Pitch-class weights of a piece: each note counts for how long it sounds, so held notes weigh more than grace notes. */
export function pitchClassDurations(sequence: NoteSequence): number[] {
  const weights = new Array<number>(12).fill(0);
  for (const note of sequence.notes) weights[note.pitch % 12]! += Math.max(0, note.endSeconds - note.startSeconds);
  return weights;
}

/**
 * The Krumhansl–Schmuckler key of a piece: the one of 24 keys whose Krumhansl–Kessler profile, turned to its tonic,
 * correlates best with the piece's duration-weighted pitch classes. Ties go to the first in C, Db … B, major first.
 *
 * @example
 * estimateKey(cMajorScale) // { key: 'C', tonic: 0, mode: 'major', correlation: 0.89 }
 */
export function estimateKey(sequence: NoteSequence): KeyEstimate {
  return estimateKeyOfWeights(pitchClassDurations(sequence));
}

/** The same from pitch-class weights already summed (C = 0): durations, or note counts of a token window. */
export function estimateKeyOfWeights(weights: readonly number[]): KeyEstimate {
  let best: KeyEstimate = { key: majorNames[0]!, tonic: 0, mode: 'major', correlation: -Infinity };
  for (const mode of ['major', 'minor'] as const) {
    const profile = mode === 'major' ? majorProfile : minorProfile;
    for (let tonic = 0; tonic < 12; tonic++) {
      const correlation = pearson(weights, (pitchClass) => profile[(pitchClass - tonic + 12) % 12]!);
      if (correlation > best.correlation) best = { key: (mode === 'major' ? majorNames : minorNames)[tonic]!, tonic, mode, correlation };
    }
  }
  // No notes, or every pitch class alike: nothing points to a key.
  return best.correlation === -Infinity ? { ...best, correlation: NaN } : best;
}

function pearson(weights: readonly number[], profileAt: (pitchClass: number) => number): number {
  const profile = weights.map((_, pitchClass) => profileAt(pitchClass));
  const meanWeight = weights.reduce((sum, weight) => sum + weight, 0) / 12;
  const meanProfile = profile.reduce((sum, value) => sum + value, 0) / 12;
  let covariance = 0;
  let weightSpread = 0;
  let profileSpread = 0;
  for (let i = 0; i < 12; i++) {
    covariance += (weights[i]! - meanWeight) * (profile[i]! - meanProfile);
    weightSpread += (weights[i]! - meanWeight) ** 2;
    profileSpread += (profile[i]! - meanProfile) ** 2;
  }
  return weightSpread === 0 ? NaN : covariance / Math.sqrt(weightSpread * profileSpread);
}
