import type { Note, NoteSequence } from '../midi/note-sequence.js';
import { mean, musicFeatures, percentile } from './features.js';

/**
 * How far a continuation is from what the pianist really played next, on six things a listener hears: tonality,
 * density, loudness, register, and texture (chord size and note length). Each is a distance (0 = the same) but
 * `pitchClassCosine`, a similarity (1 = the same histogram).
 */
export interface ContinuationDistances {
  /** Cosine of the two pitch-class histograms. */
  pitchClassCosine: number;
  /** |log(notes per second ÷ truth's)|. */
  densityLogRatio: number;
  /** |mean velocity − truth's|. */
  velocityDifference: number;
  /** |mean pitch − truth's|, semitones. */
  registerDifference: number;
  /** |log(mean polyphony at onsets ÷ truth's)|. */
  polyphonyLogRatio: number;
  /** |log(median note length ÷ truth's)|. */
  noteLengthLogRatio: number;
}

export type ContinuationMeasure = keyof ContinuationDistances;

/** The measures in report order, with how a set of windows is summed up (the cosine by its mean, the rest by median). */
export const continuationMeasures: Record<ContinuationMeasure, { label: string; summary: 'mean' | 'median'; higherIsCloser: boolean }> = {
  pitchClassCosine: { label: 'pitch-class histogram, cosine (mean)', summary: 'mean', higherIsCloser: true },
  densityLogRatio: { label: '|log notes/s ratio| (median)', summary: 'median', higherIsCloser: false },
  velocityDifference: { label: '|mean velocity difference| (median)', summary: 'median', higherIsCloser: false },
  registerDifference: { label: '|mean pitch difference|, semitones (median)', summary: 'median', higherIsCloser: false },
  polyphonyLogRatio: { label: '|log polyphony ratio| (median)', summary: 'median', higherIsCloser: false },
  noteLengthLogRatio: { label: '|log median note length ratio| (median)', summary: 'median', higherIsCloser: false },
};

export const continuationMeasureNames = Object.keys(continuationMeasures) as ContinuationMeasure[];

/** Below this many notes per second a log ratio would be dominated by an empty window. */
const floorNotesPerSecond = 0.05;

/**
 * The six distances between a continuation and the truth, both over `seconds` of music. An empty continuation is as
 * far as it gets: cosine 0, and the truth's own values against nothing.
 *
 * @example continuationDistances(written, pianistNext, 20).pitchClassCosine // 0.82
 */
export function continuationDistances(candidate: NoteSequence, truth: NoteSequence, seconds: number): ContinuationDistances {
  const a = musicFeatures(candidate, seconds);
  const b = musicFeatures(truth, seconds);
  return {
    pitchClassCosine: cosine(pitchClassHistogram(candidate.notes), pitchClassHistogram(truth.notes)),
    densityLogRatio: Math.abs(Math.log(Math.max(a.notesPerSecond, floorNotesPerSecond) / Math.max(b.notesPerSecond, floorNotesPerSecond))),
    velocityDifference: Math.abs(a.velocityMean - b.velocityMean),
    registerDifference: Math.abs(meanPitch(candidate.notes) - meanPitch(truth.notes)),
    polyphonyLogRatio: Math.abs(Math.log(Math.max(a.meanPolyphony, 1) / Math.max(b.meanPolyphony, 1))),
    noteLengthLogRatio: Math.abs(Math.log(Math.max(medianNoteSeconds(candidate.notes), 0.01) / Math.max(medianNoteSeconds(truth.notes), 0.01))),
  };
}

/** A set of windows summed up per measure: the mean of the cosines, the median of each distance. */
export function summarizeDistances(distances: readonly ContinuationDistances[]): ContinuationDistances {
  const summary = {} as ContinuationDistances;
  for (const name of continuationMeasureNames) {
    const values = distances.map((entry) => entry[name]).filter((value) => Number.isFinite(value));
    summary[name] = continuationMeasures[name].summary === 'mean' ? mean(values) : percentile(values, 0.5);
  }
  return summary;
}

/**
 * How far `candidate` moved from `ignoring` (what a continuation scores that ignores its primer) toward `target` (the
 * piece's own next window): 0 = no better than ignoring the primer, 1 = as close as the piece itself, above 1 closer.
 * NaN when the two references agree (no room to move).
 */
export function fractionOfTheWay(ignoring: number, candidate: number, target: number): number {
  const room = target - ignoring;
  return Math.abs(room) < 1e-9 ? NaN : (candidate - ignoring) / room;
}

export function pitchClassHistogram(notes: readonly Note[]): number[] {
  const counts = new Array<number>(12).fill(0);
  for (const note of notes) counts[note.pitch % 12]! += 1;
  return counts;
}

export function meanPitch(notes: readonly Note[]): number {
  return mean(notes.map((note) => note.pitch));
}

export function medianNoteSeconds(notes: readonly Note[]): number {
  return notes.length === 0 ? 0 : percentile(notes.map((note) => note.endSeconds - note.startSeconds), 0.5);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  a.forEach((value, index) => {
    dot += value * b[index]!;
    normA += value * value;
    normB += b[index]! * b[index]!;
  });
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
