import type { Note, NoteSequence } from '../midi/note-sequence.js';

/** Notes held longer than this are counted as long (Performance RNN's cap; 0.19 % of notes in real playing). */
export const longNoteSeconds = 5;

/** The nine numbers a piece is compared by (issue 13), each a plain property so they can be tabled and plotted. */
export interface MusicFeatures {
  notesPerSecond: number;
  /** Notes sounding at each onset (the struck note included), averaged over the notes. */
  meanPolyphony: number;
  /** 95th minus 5th percentile of the pitches, semitones. */
  pitchRange: number;
  /** Shannon entropy of the pitch-class counts, bits (0 … log2 12 ≈ 3.58). */
  pitchClassEntropy: number;
  /** Median time between successive distinct onsets, seconds. */
  medianInterOnsetSeconds: number;
  velocityMean: number;
  velocityStd: number;
  /** Longest run of one pitch in onset order, as a share of the notes: a stuck-record loop scores high. */
  longestRepeatShare: number;
  /** Share of the notes held over {@link longNoteSeconds}. */
  longNoteShare: number;
}

export type FeatureName = keyof MusicFeatures;

/** Held over {@link longNoteSeconds}; a note ended exactly at the cap is not (seconds from 10 ms steps carry round-off). */
export function isLongNote(note: Note): boolean {
  return note.endSeconds - note.startSeconds > longNoteSeconds + 1e-6;
}

/** The features in report order, with what a reader needs to read a number. */
export const featureLabels: Record<FeatureName, string> = {
  notesPerSecond: 'notes per second',
  meanPolyphony: 'mean polyphony at onsets',
  pitchRange: 'pitch range p5–p95 (semitones)',
  pitchClassEntropy: 'pitch-class entropy (bits)',
  medianInterOnsetSeconds: 'median inter-onset interval (s)',
  velocityMean: 'velocity mean',
  velocityStd: 'velocity standard deviation',
  longestRepeatShare: 'longest same-pitch run (share of notes)',
  longNoteShare: `notes held over ${longNoteSeconds} s (share)`,
};

export const featureNames = Object.keys(featureLabels) as FeatureName[];

/**
 * Notes per second of music; `seconds` defaults to the sequence's length. The density a listener hears, and what the
 * `density` control asks for.
 * @example notesPerSecond(excerpt, 30)
 */
export function notesPerSecond(sequence: NoteSequence, seconds = sequence.totalSeconds): number {
  return seconds > 0 ? sequence.notes.length / seconds : 0;
}

/** Mean MIDI velocity of the notes (0 for no notes): what the `dynamics` control asks for. */
export function meanVelocity(sequence: NoteSequence): number {
  return mean(sequence.notes.map((note) => note.velocity));
}

/**
 * The nine features of a piece (or a 30 s excerpt), over `seconds` of music (default: the sequence's length).
 * A piece without notes scores 0 everywhere but the inter-onset interval, which is the whole length.
 *
 * @example
 * musicFeatures(tokenizer.decode(ids), 30).meanPolyphony // 4.2
 */
export function musicFeatures(sequence: NoteSequence, seconds = sequence.totalSeconds): MusicFeatures {
  const notes = [...sequence.notes].sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
  const velocities = notes.map((note) => note.velocity);
  const velocityMean = mean(velocities);
  return {
    notesPerSecond: notesPerSecond(sequence, seconds),
    meanPolyphony: meanPolyphony(notes),
    pitchRange: notes.length === 0 ? 0 : percentile(notes.map((note) => note.pitch), 0.95) - percentile(notes.map((note) => note.pitch), 0.05),
    pitchClassEntropy: pitchClassEntropy(notes),
    medianInterOnsetSeconds: medianInterOnset(notes, seconds),
    velocityMean,
    velocityStd: Math.sqrt(mean(velocities.map((velocity) => (velocity - velocityMean) ** 2))),
    longestRepeatShare: longestRepeat(notes) / Math.max(1, notes.length),
    longNoteShare: notes.length === 0 ? 0 : notes.filter(isLongNote).length / notes.length,
  };
}

/** Onsets in time order; at each, the notes sounding are the ones struck there and the earlier ones not yet ended. */
function meanPolyphony(sorted: readonly Note[]): number {
  if (sorted.length === 0) return 0;
  let sounding: number[] = [];
  let total = 0;
  for (let index = 0; index < sorted.length; ) {
    const onset = sorted[index]!.startSeconds;
    sounding = sounding.filter((end) => end > onset);
    let chord = 0;
    for (; index < sorted.length && sorted[index]!.startSeconds === onset; index++, chord++) sounding.push(sorted[index]!.endSeconds);
    total += sounding.length * chord;
  }
  return total / sorted.length;
}

function pitchClassEntropy(notes: readonly Note[]): number {
  if (notes.length === 0) return 0;
  const counts = new Array<number>(12).fill(0);
  for (const note of notes) counts[note.pitch % 12]! += 1;
  return -counts.reduce((sum, count) => (count === 0 ? sum : sum + (count / notes.length) * Math.log2(count / notes.length)), 0);
}

function medianInterOnset(sorted: readonly Note[], seconds: number): number {
  const onsets = [...new Set(sorted.map((note) => note.startSeconds))];
  if (onsets.length < 2) return seconds;
  return percentile(onsets.slice(1).map((onset, i) => onset - onsets[i]!), 0.5);
}

function longestRepeat(sorted: readonly Note[]): number {
  let longest = 0;
  let run = 0;
  sorted.forEach((note, i) => {
    run = i > 0 && sorted[i - 1]!.pitch === note.pitch ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}

/** Mean of the values, 0 for none. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The `fraction` quantile by linear interpolation between order statistics (NaN for no values). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}
