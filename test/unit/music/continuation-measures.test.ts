import { describe, expect, it } from 'vitest';
import type { NoteSequence } from '../../../src/midi/note-sequence.js';
import { continuationDistances, fractionOfTheWay, summarizeDistances } from '../../../src/music/continuation-measures.js';
import { continuationWindows } from '../../../src/music/continuation-windows.js';
import { seam, summarizeSeams } from '../../../src/music/seam-measures.js';

/** `count` notes of `pitches` in turn, `gap` seconds apart, each `length` long, at `velocity`. */
function run(pitches: number[], count: number, gap: number, length: number, velocity: number, from = 0): NoteSequence {
  const notes = Array.from({ length: count }, (_, i) => ({ pitch: pitches[i % pitches.length]!, velocity, startSeconds: from + i * gap, endSeconds: from + i * gap + length }));
  return { notes, totalSeconds: from + count * gap };
}

describe('continuationDistances', () => {
  it('is zero distance (cosine 1) between a passage and itself', () => {
    const passage = run([60, 64, 67], 40, 0.25, 0.2, 70);
    expect(continuationDistances(passage, passage, 10)).toEqual({
      pitchClassCosine: expect.closeTo(1, 9),
      densityLogRatio: 0,
      velocityDifference: 0,
      registerDifference: 0,
      polyphonyLogRatio: 0,
      noteLengthLogRatio: 0,
    });
  });

  it('measures each thing a listener hears: key, twice as dense, louder, an octave up, longer notes', () => {
    const truth = run([60, 64, 67], 40, 0.25, 0.2, 60);
    const other = run([61, 66, 70], 80, 0.125, 0.4, 80);
    const octave = run([72, 76, 79], 40, 0.25, 0.2, 60);

    const distances = continuationDistances(other, truth, 10);
    expect(distances.pitchClassCosine).toBe(0);
    expect(distances.densityLogRatio).toBeCloseTo(Math.log(2), 9);
    expect(distances.velocityDifference).toBe(20);
    expect(distances.noteLengthLogRatio).toBeCloseTo(Math.log(2), 9);
    expect(distances.polyphonyLogRatio).toBeGreaterThan(0);
    expect(continuationDistances(octave, truth, 10).registerDifference).toBe(12);
    expect(continuationDistances(octave, truth, 10).pitchClassCosine).toBeCloseTo(1, 9);
  });

  it('sums windows up by the mean cosine and the median distance, and reads the way from ignoring to the piece', () => {
    const truth = run([60], 10, 1, 0.5, 60);
    const summary = summarizeDistances([70, 61, 100].map((velocity) => continuationDistances(run([60], 10, 1, 0.5, velocity), truth, 10)));
    expect(summary.velocityDifference).toBe(10);
    expect(fractionOfTheWay(10, 4, 2)).toBeCloseTo(0.75, 9);
    expect(fractionOfTheWay(0.6, 0.85, 0.9)).toBeCloseTo(0.25 / 0.3, 9);
    expect(fractionOfTheWay(3, 1, 3)).toBeNaN();
  });
});

describe('seam', () => {
  const primer = run([60, 62], 16, 0.5, 0.3, 70);

  it('times the first new onset from the primer’s last event and compares the two sides of the join', () => {
    // The primer's last onset is at 7.5 s and its release at 7.8 s; the continuation starts at 8 s with a note at 0.2 s.
    const join = seam(primer, run([72], 4, 0.5, 0.3, 100, 0.2));
    expect(join.firstOnsetDelay).toBeCloseTo(0.4, 9);
    expect(join.primerInterOnset).toBeCloseTo(0.5, 9);
    expect(join.loudnessJump).toBe(30);
    expect(join.registerJump).toBe(11);
    expect(summarizeSeams([join, join]).delayInPrimerGaps).toBeCloseTo(0.8, 9);
  });

  it('counts a note struck with the primer’s last chord as part of that chord, not as the first answer', () => {
    const continuation: NoteSequence = { notes: [{ pitch: 67, velocity: 70, startSeconds: 0, endSeconds: 0.3 }, { pitch: 64, velocity: 70, startSeconds: 0.6, endSeconds: 0.9 }], totalSeconds: 2 };
    expect(seam(primer, continuation, 7.5).firstOnsetDelay).toBeCloseTo(0.3, 9);
  });
});

describe('continuationWindows', () => {
  it('cuts one window per long-enough performance a third of the way in (at most 30 s), then later ones', () => {
    const long = run([60, 64], 400, 0.5, 0.3, 70);
    const short = run([60], 20, 0.5, 0.3, 70);
    const windows = continuationWindows([long, short, long], { windows: 3, primerSeconds: 8, continuationSeconds: 20, startFraction: 1 / 3, maxStartSeconds: 30 });

    expect(windows.map(({ file, startSeconds }) => [file, startSeconds])).toEqual([[0, 30], [0, 78], [2, 30]]);
    expect(windows[0]!.primer.totalSeconds).toBe(8);
    expect(windows[0]!.truth.notes[0]!.startSeconds).toBe(0);
    expect(windows[0]!.passage.totalSeconds).toBe(28);
  });
});
