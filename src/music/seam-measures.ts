import type { Note, NoteSequence } from '../midi/note-sequence.js';
import { mean, percentile } from './features.js';

/** How a continuation joins its primer. */
export interface Seam {
  /**
   * Seconds from the primer's last event (an onset, or a release before its end) to the continuation's first onset
   * after the primer's last onset.
   */
  firstOnsetDelay: number;
  /** The primer's median time between distinct onsets: the gap a listener expects next. */
  primerInterOnset: number;
  /** |mean velocity of the continuation's first `spanSeconds` − the primer's last|. */
  loudnessJump: number;
  /** |mean pitch of the continuation's first `spanSeconds` − the primer's last|, semitones. */
  registerJump: number;
}

/** The stretch either side of the join that loudness and register are compared over. */
export const seamSpanSeconds = 2;

/** A note released within this of the primer's end was still down when it stopped: its end is a cut, not a release. */
const cutSeconds = 0.015;

/**
 * The seam between `primer` and `continuation`, whose time 0 lies at `continuationStartsAt` seconds of the primer
 * (default: its end). With no note on one side within the span, the jumps are NaN (nothing to hear jump).
 *
 * @example seam(primer, continuation).firstOnsetDelay // 0.12
 */
export function seam(primer: NoteSequence, continuation: NoteSequence, continuationStartsAt = primer.totalSeconds): Seam {
  const end = primer.totalSeconds;
  const lastOnset = Math.max(0, ...primer.notes.map((note) => note.startSeconds));
  const lastEvent = primer.notes.reduce((last, note) => Math.max(last, note.startSeconds, note.endSeconds < end - cutSeconds ? note.endSeconds : 0), 0);
  // A note struck with the primer's last chord joins that chord; the next onset is the one a listener waits for.
  const onsets = continuation.notes.map((note) => note.startSeconds + continuationStartsAt).filter((onset) => onset > lastOnset + cutSeconds);
  const before = primer.notes.filter((note) => note.startSeconds >= end - seamSpanSeconds);
  const after = continuation.notes.filter((note) => note.startSeconds < seamSpanSeconds);
  const primerOnsets = [...new Set(primer.notes.map((note) => note.startSeconds))].sort((a, b) => a - b);
  const gaps = primerOnsets.slice(1).map((onset, index) => onset - primerOnsets[index]!);
  return {
    firstOnsetDelay: (onsets.length === 0 ? continuationStartsAt + continuation.totalSeconds : Math.min(...onsets)) - lastEvent,
    primerInterOnset: gaps.length === 0 ? NaN : percentile(gaps, 0.5),
    loudnessJump: jump(before, after, (note) => note.velocity),
    registerJump: jump(before, after, (note) => note.pitch),
  };
}

/** Medians over windows: the delay in the primer's own gaps, and the jumps. */
export interface SeamSummary {
  /** Median of firstOnsetDelay ÷ primerInterOnset: 1 = the next note comes when the primer's rhythm says. */
  delayInPrimerGaps: number;
  medianFirstOnsetDelay: number;
  medianPrimerInterOnset: number;
  medianLoudnessJump: number;
  medianRegisterJump: number;
}

export function summarizeSeams(seams: readonly Seam[]): SeamSummary {
  const median = (values: number[]) => percentile(values.filter((value) => Number.isFinite(value)), 0.5);
  return {
    delayInPrimerGaps: median(seams.map((entry) => entry.firstOnsetDelay / entry.primerInterOnset)),
    medianFirstOnsetDelay: median(seams.map((entry) => entry.firstOnsetDelay)),
    medianPrimerInterOnset: median(seams.map((entry) => entry.primerInterOnset)),
    medianLoudnessJump: median(seams.map((entry) => entry.loudnessJump)),
    medianRegisterJump: median(seams.map((entry) => entry.registerJump)),
  };
}

function jump(before: readonly Note[], after: readonly Note[], value: (note: Note) => number): number {
  return before.length === 0 || after.length === 0 ? NaN : Math.abs(mean(after.map(value)) - mean(before.map(value)));
}
