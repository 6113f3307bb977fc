import {
  MAX_SHIFT_STEPS,
  NOTE_OFF_BASE,
  NOTE_ON_BASE,
  PITCH_COUNT,
  TIME_SHIFT_BASE,
  VELOCITY_BASE,
} from '../tokens/performance-ids.js';
import { mixUint32 } from './stable-hash.js';

/** The 88 keys of a piano, A0..C8: transposition never moves a note outside. */
export const PIANO_LOWEST_PITCH = 21;
export const PIANO_HIGHEST_PITCH = 108;

/** Augmentation of performance tokens for training; 0 turns a kind off. */
export interface AugmentOptions {
  /** Largest transposition, semitones either way (clipped so every pitch stays on the piano). */
  transpose: number;
  /** Largest time-stretch, as a fraction: 0.05 plays between 5 % faster and 5 % slower. */
  stretch: number;
}

export const NO_AUGMENTATION: Readonly<AugmentOptions> = Object.freeze({ transpose: 0, stretch: 0 });

const isNote = (id: number) => id >= NOTE_ON_BASE && id < NOTE_OFF_BASE + PITCH_COUNT;
const isShift = (id: number) => id >= TIME_SHIFT_BASE && id < VELOCITY_BASE;

/**
 * The transpositions (semitones) that keep every NOTE_ON/NOTE_OFF of `tokens` within A0..C8: `{ down ≤ 0, up ≥ 0 }`.
 * A piece already reaching outside the piano may only stay where it is.
 */
export function transpositionRange(tokens: ArrayLike<number>): { down: number; up: number } {
  let lowest = PITCH_COUNT;
  let highest = -1;
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (!isNote(id)) continue;
    const pitch = id % PITCH_COUNT;
    if (pitch < lowest) lowest = pitch;
    if (pitch > highest) highest = pitch;
  }
  if (highest < 0) return { down: 0, up: 0 };
  return { down: Math.min(0, PIANO_LOWEST_PITCH - lowest), up: Math.max(0, PIANO_HIGHEST_PITCH - highest) };
}

/**
 * Performance tokens moved by `semitones`; throws RangeError when a note would leave A0..C8 (check with
 * {@link transpositionRange}). `transpose(transpose(t, k), -k)` gives `t` back.
 * @example transpose(tokens, -2) // a whole tone lower
 */
export function transpose(tokens: Uint16Array, semitones: number): Uint16Array {
  const { down, up } = transpositionRange(tokens);
  if (!Number.isInteger(semitones) || semitones < down || semitones > up) {
    throw new RangeError(`cannot transpose by ${semitones}: these notes allow ${down}..${up} semitones within the piano`);
  }
  const moved = new Uint16Array(tokens);
  if (semitones === 0) return moved;
  for (let i = 0; i < moved.length; i++) if (isNote(moved[i]!)) moved[i] = moved[i]! + semitones;
  return moved;
}

/**
 * Performance tokens played `factor` times as long: every run of TIME_SHIFTs is rescaled on the 10 ms grid, rounding
 * absolute times (not each gap) so errors never add up, but never onto the step before (a one-step note would
 * vanish). Onsets land within one grid step of `factor` × their time, and stretching back by 1/factor restores them
 * to within one step — except where compressing meets a long run of one-step gaps, which cannot shrink: there the
 * clock runs up to 1 − factor of a step late per gap and catches up over the longer gaps after.
 * @example stretchTime(tokens, 1.05) // 5 % slower
 */
export function stretchTime(tokens: Uint16Array, factor: number): Uint16Array {
  if (!(factor > 0 && Number.isFinite(factor))) throw new RangeError(`stretch factor must be a positive number, got ${factor}`);
  const out: number[] = [];
  let time = 0; // original clock, in grid steps
  let emitted = 0; // stretched clock already written
  for (let i = 0; i < tokens.length; ) {
    const id = tokens[i]!;
    if (!isShift(id)) {
      out.push(id);
      i++;
      continue;
    }
    while (i < tokens.length && isShift(tokens[i]!)) time += tokens[i++]! - TIME_SHIFT_BASE + 1;
    // Events that were apart stay apart: a note squeezed into the step it began in would vanish.
    const target = Math.max(Math.round(time * factor), emitted + 1);
    for (let gap = target - emitted; gap > 0; gap -= MAX_SHIFT_STEPS) out.push(TIME_SHIFT_BASE - 1 + Math.min(gap, MAX_SHIFT_STEPS));
    emitted = Math.max(emitted, target);
  }
  return Uint16Array.from(out);
}

/**
 * One random augmentation of `tokens`, fixed by `seed` and the integers in `key` (e.g. epoch and file index): a
 * transposition drawn from ±`transpose` clipped to the piano, and a stretch factor from 1 ± `stretch`.
 * @example augment(tokens, { transpose: 3, stretch: 0.05 }, seed, epoch, fileIndex)
 */
export function augment(tokens: Uint16Array, options: AugmentOptions, seed: number, ...key: number[]): Uint16Array {
  let result = tokens;
  if (options.transpose > 0) {
    const { down, up } = transpositionRange(tokens);
    const low = Math.max(down, -options.transpose);
    const high = Math.min(up, options.transpose);
    const semitones = low + (mixUint32(seed, 1, ...key) % (high - low + 1));
    if (semitones !== 0) result = transpose(result, semitones);
  }
  if (options.stretch > 0) {
    const factor = 1 + options.stretch * (2 * (mixUint32(seed, 2, ...key) / 4294967296) - 1);
    result = stretchTime(result, factor);
  }
  return result;
}
