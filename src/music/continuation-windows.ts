import type { NoteSequence } from '../midi/note-sequence.js';
import { excerpt } from './excerpts.js';

/** One test of continuing a performance: a primer cut from it, what the pianist played next, and after that. */
export interface ContinuationWindow {
  /** Which performance (index into the list given) and where the primer starts in it. */
  file: number;
  startSeconds: number;
  /** The primer as a user would give it: the notes struck in it, cut at its end. */
  primer: NoteSequence;
  /** The pianist's next `continuationSeconds`: what a continuation is compared with. */
  truth: NoteSequence;
  /** The pianist's following `continuationSeconds`: how far a piece itself moves (the target of the report). */
  following: NoteSequence;
  /** Primer and truth as one passage, notes sounding across the join kept whole. */
  passage: NoteSequence;
}

export interface ContinuationWindowOptions {
  windows: number;
  primerSeconds: number;
  continuationSeconds: number;
  /** A primer starts this far into its performance, but no later than `maxStartSeconds`. */
  startFraction: number;
  maxStartSeconds: number;
}

/**
 * `windows` windows from the performances that are long enough (primer + two continuations after the start), one
 * per performance in their order before any performance gives a second (later in it). A window whose primer or truth
 * holds no note is skipped for the next place.
 *
 * @example continuationWindows(heldOut, { windows: 60, primerSeconds: 8, continuationSeconds: 20, startFraction: 1 / 3, maxStartSeconds: 30 })
 */
export function continuationWindows(performances: readonly NoteSequence[], options: ContinuationWindowOptions): ContinuationWindow[] {
  const span = options.primerSeconds + 2 * options.continuationSeconds;
  const startOf = (sequence: NoteSequence) => Math.round(Math.min(sequence.totalSeconds * options.startFraction, options.maxStartSeconds) * 100) / 100;
  const places: Array<{ file: number; startSeconds: number }> = [];
  const usable = performances.flatMap((sequence, file) => (startOf(sequence) + span <= sequence.totalSeconds ? [file] : []));
  // Round by round over the performances, so every performance gives one window before any gives two.
  for (let round = 0; usable.length > 0 && places.length < 2 * options.windows && round < 1000; round++) {
    for (const file of usable) {
      const startSeconds = startOf(performances[file]!) + round * span;
      if (startSeconds + span > performances[file]!.totalSeconds) continue;
      places.push({ file, startSeconds });
    }
  }
  const windows: ContinuationWindow[] = [];
  for (const { file, startSeconds } of places) {
    if (windows.length === options.windows) break;
    const performance = performances[file]!;
    const primer = excerpt(performance, startSeconds, options.primerSeconds);
    const truth = excerpt(performance, startSeconds + options.primerSeconds, options.continuationSeconds);
    if (primer.notes.length === 0 || truth.notes.length === 0) continue;
    const following = excerpt(performance, startSeconds + options.primerSeconds + options.continuationSeconds, options.continuationSeconds);
    const passage = excerpt(performance, startSeconds, options.primerSeconds + options.continuationSeconds);
    windows.push({ file, startSeconds, primer, truth, following, passage });
  }
  return windows.sort((a, b) => a.file - b.file || a.startSeconds - b.startSeconds);
}
