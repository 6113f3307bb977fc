import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { estimateKey } from '../../../src/music/key-estimate.js';

/** A scale up from `tonic` (MIDI pitch) with the tonic held longer at the end, as a cadence lands. */
function scale(tonic: number, steps: number[]): NoteSequence {
  const pitches = [0, ...steps].map((step) => tonic + step);
  const notes = pitches.map((pitch, i) => ({ pitch, velocity: 70, startSeconds: i * 0.5, endSeconds: i * 0.5 + 0.5 }));
  notes.push({ pitch: tonic + 12, velocity: 70, startSeconds: pitches.length * 0.5, endSeconds: pitches.length * 0.5 + 2 });
  notes.push({ pitch: tonic + 7, velocity: 70, startSeconds: pitches.length * 0.5, endSeconds: pitches.length * 0.5 + 1 });
  return { notes, totalSeconds: pitches.length * 0.5 + 2 };
}
const major = [2, 4, 5, 7, 9, 11];
const harmonicMinor = [2, 3, 5, 7, 8, 11];

describe('estimateKey', () => {
  it.each([
    ['C', 60, major, 'major'],
    ['F#', 66, major, 'major'],
    ['Bb', 58, major, 'major'],
    ['Am', 57, harmonicMinor, 'minor'],
    ['C#m', 61, harmonicMinor, 'minor'],
    ['Ebm', 63, harmonicMinor, 'minor'],
  ] as const)('finds %s in its scale', (key, tonic, steps, mode) => {
    const estimate = estimateKey(scale(tonic, [...steps]));
    expect(estimate).toMatchObject({ key, tonic: tonic % 12, mode });
    expect(estimate.correlation).toBeGreaterThan(0.7);
  });

  it('weighs pitch classes by duration: a long A and E outweigh many short C and G', () => {
    const note = (pitch: number, start: number, seconds: number) => ({ pitch, velocity: 70, startSeconds: start, endSeconds: start + seconds });
    const notes = [note(57, 0, 4), note(64, 0, 4), note(60, 0, 4), ...[0, 1, 2, 3, 4, 5].map((i) => note(i % 2 ? 67 : 72, 4 + i * 0.05, 0.05))];
    expect(estimateKey({ notes, totalSeconds: 5 }).key).toBe('Am');
  });

  it('has no key for no notes', () => {
    expect(estimateKey({ notes: [], totalSeconds: 0 }).correlation).toBeNaN();
  });
});
