import { describe, expect, it } from 'vitest';
import type { Note } from '../../../src/midi/note-sequence.js';
import { meanVelocity, musicFeatures, notesPerSecond } from '../../../src/music/features.js';

const note = (pitch: number, startSeconds: number, endSeconds: number, velocity = 64): Note => ({ pitch, velocity, startSeconds, endSeconds });

describe('musicFeatures', () => {
  it('measures a hand-made piece', () => {
    // A C major chord held 6 s, then four repeated Gs: onsets at 0, 1, 1.5, 2, 2.5.
    const notes = [note(60, 0, 6, 40), note(64, 0, 1, 40), note(67, 0, 1, 40), ...[1, 1.5, 2, 2.5].map((start) => note(79, start, start + 0.25, 100))];
    const features = musicFeatures({ notes, totalSeconds: 10 });
    expect(features.notesPerSecond).toBeCloseTo(0.7);
    // Chord notes each see 3 sounding; each G sees itself and the held C: (3 × 3 + 4 × 2) / 7.
    expect(features.meanPolyphony).toBeCloseTo(17 / 7);
    expect(features.medianInterOnsetSeconds).toBeCloseTo(0.5);
    expect(features.velocityMean).toBeCloseTo((3 * 40 + 4 * 100) / 7);
    expect(features.longestRepeatShare).toBeCloseTo(4 / 7);
    expect(features.longNoteShare).toBeCloseTo(1 / 7);
    expect(features.pitchClassEntropy).toBeGreaterThan(1);
    expect(features.pitchClassEntropy).toBeLessThan(Math.log2(3));
    // Pitches 60 64 67 79 79 79 79: p5 interpolates 30 % of the way from 60 to 64.
    expect(features.pitchRange).toBeCloseTo(79 - 61.2);
  });

  it('scores a piece without notes as silence', () => {
    expect(musicFeatures({ notes: [], totalSeconds: 30 })).toMatchObject({ notesPerSecond: 0, meanPolyphony: 0, medianInterOnsetSeconds: 30, longNoteShare: 0 });
  });

  it('exports density and dynamics for the control benchmark', () => {
    const sequence = { notes: [note(60, 0, 1, 30), note(62, 1, 2, 90)], totalSeconds: 4 };
    expect(notesPerSecond(sequence)).toBe(0.5);
    expect(notesPerSecond(sequence, 2)).toBe(1);
    expect(meanVelocity(sequence)).toBe(60);
  });
});
