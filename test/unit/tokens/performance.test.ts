import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Note, NoteSequence } from '../../../src/midi/note-sequence.js';
import {
  DEFAULT_VELOCITY,
  PERFORMANCE_VOCAB_SIZE,
  binVelocity,
  describeToken,
  performanceIds,
  tokenKind,
  velocityBin,
} from '../../../src/tokens/performance-ids.js';
import { performanceTokenizer } from '../../../src/tokens/performance.js';

const { noteOn, noteOff, timeShift, velocity } = performanceIds;

function note(pitch: number, startSeconds: number, endSeconds: number, noteVelocity = 80): Note {
  return { pitch, velocity: noteVelocity, startSeconds, endSeconds };
}

function sequence(...notes: Note[]): NoteSequence {
  return { notes, totalSeconds: Math.max(0, ...notes.map((n) => n.endSeconds)) };
}

describe('performance ids', () => {
  it.each([
    [noteOn(0), 0, 'NOTE_ON 0'],
    [noteOn(127), 127, 'NOTE_ON 127'],
    [noteOff(0), 128, 'NOTE_OFF 0'],
    [noteOff(127), 255, 'NOTE_OFF 127'],
    [timeShift(1), 256, 'TIME_SHIFT 10ms'],
    [timeShift(100), 355, 'TIME_SHIFT 1000ms'],
    [velocity(0), 356, 'VELOCITY bin 0'],
    [velocity(31), 387, 'VELOCITY bin 31'],
  ])('id %i is %i (%s)', (built, expected, description) => {
    expect(built).toBe(expected);
    expect(describeToken(built)).toBe(description);
  });

  it.each([
    [1, 0],
    [4, 0],
    [5, 1],
    [64, 15],
    [124, 30],
    [125, 31],
    [127, 31],
    [0, 0],
    [200, 31],
  ])('velocity %i falls in bin %i, which decodes back into that bin', (midiVelocity, bin) => {
    expect(velocityBin(midiVelocity)).toBe(bin);
    expect(velocityBin(binVelocity(bin))).toBe(bin);
    expect(binVelocity(bin)).toBeLessThanOrEqual(127);
  });

  it.each([
    () => noteOn(128),
    () => noteOff(-1),
    () => timeShift(0),
    () => timeShift(101),
    () => velocity(32),
    () => noteOn(1.5),
  ])('rejects out-of-range arguments: %s', (build) => {
    expect(build).toThrow(RangeError);
  });

  it.each([-1, 388, 1.5, Number.NaN])('calls %d invalid and secondsOf gives 0', (id) => {
    expect(tokenKind(id)).toBe('invalid');
    expect(performanceTokenizer.secondsOf(id)).toBe(0);
  });

  it('secondsOf counts only time shifts', () => {
    expect(performanceTokenizer.secondsOf(timeShift(37))).toBeCloseTo(0.37, 12);
    expect(performanceTokenizer.secondsOf(noteOn(60))).toBe(0);
    expect(performanceTokenizer.vocabSize).toBe(PERFORMANCE_VOCAB_SIZE);
  });
});

describe('performance encode', () => {
  it.each<[string, NoteSequence, number[]]>([
    ['one note', sequence(note(60, 0, 0.5)), [velocity(19), noteOn(60), timeShift(50), noteOff(60)]],
    [
      'a gap over 1 s as several shifts',
      sequence(note(60, 0, 2.55)),
      [velocity(19), noteOn(60), timeShift(100), timeShift(100), timeShift(55), noteOff(60)],
    ],
    [
      'a leading silence of exactly 1 s as one shift',
      sequence(note(60, 1, 1.01)),
      [timeShift(100), velocity(19), noteOn(60), timeShift(1), noteOff(60)],
    ],
    [
      'note-offs before note-ons at one instant, ons by pitch',
      sequence(note(67, 0, 0.5), note(64, 0.5, 1), note(60, 0.5, 1)),
      [velocity(19), noteOn(67), timeShift(50), noteOff(67), noteOn(60), noteOn(64), timeShift(50), noteOff(60), noteOff(64)],
    ],
    [
      'velocity only when the bin changes',
      sequence(note(60, 0, 0.1, 80), note(62, 0.1, 0.2, 77), note(64, 0.2, 0.3, 100), note(65, 0.3, 0.4, 100)),
      [
        velocity(19), noteOn(60), timeShift(10), noteOff(60),
        noteOn(62), timeShift(10), noteOff(62),
        velocity(24), noteOn(64), timeShift(10), noteOff(64),
        noteOn(65), timeShift(10), noteOff(65),
      ],
    ],
    [
      'times rounded to the 10 ms grid',
      sequence(note(60, 0.004, 0.016), note(62, 0.026, 0.0449)),
      [velocity(19), noteOn(60), timeShift(2), noteOff(60), timeShift(1), noteOn(62), timeShift(1), noteOff(62)],
    ],
    [
      'a note shorter than the grid keeps one step',
      sequence(note(60, 0.1, 0.1), note(62, 0.2, 0.201)),
      [timeShift(10), velocity(19), noteOn(60), timeShift(1), noteOff(60), timeShift(9), noteOn(62), timeShift(1), noteOff(62)],
    ],
    [
      'an overlapping repeat of a pitch ends the earlier note at the new onset',
      sequence(note(60, 0, 1), note(60, 0.5, 0.7)),
      [velocity(19), noteOn(60), timeShift(50), noteOff(60), noteOn(60), timeShift(20), noteOff(60)],
    ],
    [
      'a second onset of one pitch in the same step is dropped',
      sequence(note(60, 0, 0.3), note(60, 0.001, 0.2)),
      [velocity(19), noteOn(60), timeShift(30), noteOff(60)],
    ],
    ['nothing for no notes', sequence(), []],
    [
      'unsorted input like sorted input',
      sequence(note(64, 0.5, 1), note(60, 0, 0.5)),
      [velocity(19), noteOn(60), timeShift(50), noteOff(60), noteOn(64), timeShift(50), noteOff(64)],
    ],
  ])('encodes %s', (_, input, expected) => {
    expect([...performanceTokenizer.encode(input)]).toEqual(expected);
  });

  it.each<[string, Note, RegExp]>([
    ['a pitch over 127', note(128, 0, 1), /note 0: pitch 128 is not a MIDI pitch/],
    ['a fractional pitch', note(60.5, 0, 1), /pitch 60.5/],
    ['a NaN start', note(60, Number.NaN, 1), /must be finite/],
    ['an endless note', note(60, 0, Number.POSITIVE_INFINITY), /must be finite/],
    ['a NaN velocity', note(60, 0, 1, Number.NaN), /must be finite/],
  ])('refuses %s with a RangeError naming the note', (_, bad, message) => {
    expect(() => performanceTokenizer.encode(sequence(bad))).toThrow(RangeError);
    expect(() => performanceTokenizer.encode(sequence(bad))).toThrow(message);
  });

  it('has room for the densest stream: shift, velocity, on, shift, off for every note', () => {
    const notes = Array.from({ length: 500 }, (_, i) => note(i % 128, i * 0.02 + 0.01, i * 0.02 + 0.02, i % 2 ? 1 : 127));
    const ids = performanceTokenizer.encode(sequence(...notes));
    expect(ids).toHaveLength(5 * 500);
    expect(performanceTokenizer.decode(ids).notes).toHaveLength(500);
  });
});

describe('performance decode', () => {
  it.each<[string, number[], Note[]]>([
    ['a note-off with no note-on is ignored', [noteOff(60), timeShift(10)], []],
    [
      'a note-on of a sounding pitch ends the earlier note',
      [velocity(19), noteOn(60), timeShift(50), noteOn(60), timeShift(20), noteOff(60)],
      [note(60, 0, 0.5, 79), note(60, 0.5, 0.7, 79)],
    ],
    [
      'a hanging note is closed at the end',
      [velocity(0), noteOn(60), timeShift(100), timeShift(25)],
      [note(60, 0, 1.25, 3)],
    ],
    ['a hanging note at the very end lasts one step', [timeShift(5), noteOn(61)], [note(61, 0.05, 0.06, DEFAULT_VELOCITY)]],
    ['a note-off at its onset lasts one step', [noteOn(61), noteOff(61)], [note(61, 0, 0.01, DEFAULT_VELOCITY)]],
    ['a repeated note-on in one step is one note', [noteOn(61), noteOn(61), timeShift(3)], [note(61, 0, 0.03, DEFAULT_VELOCITY)]],
    ['ids outside the vocabulary are skipped', [400, -3, 2.5, noteOn(62), 65_535, timeShift(2)], [note(62, 0, 0.02, DEFAULT_VELOCITY)]],
    ['the top velocity bin decodes to 127', [velocity(31), noteOn(62), timeShift(1)], [note(62, 0, 0.01, 127)]],
  ])('%s', (_, ids, expected) => {
    const decoded = performanceTokenizer.decode(ids);
    expect(decoded.notes).toEqual(expected);
  });

  it('ends a note at maxNoteSeconds, whether it ends later or hangs at the end of the piece', () => {
    const ids = [velocity(19), noteOn(60), timeShift(100), noteOn(64), timeShift(100), timeShift(100), noteOff(60), timeShift(100)];
    expect(performanceTokenizer.decode(ids, { maxNoteSeconds: 1.5 }).notes).toEqual([note(60, 0, 1.5, 79), note(64, 1, 2.5, 79)]);
    expect(performanceTokenizer.decode(ids).notes).toEqual([note(60, 0, 3, 79), note(64, 1, 4, 79)]);
  });

  it('never throws on random ids and yields valid, sorted notes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 387 }), fc.integer({ min: -5, max: 70_000 })), { maxLength: 400 }), (ids) => {
        const { notes, totalSeconds } = performanceTokenizer.decode(ids);
        for (const [i, n] of notes.entries()) {
          expect(Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127).toBe(true);
          expect(n.velocity >= 1 && n.velocity <= 127).toBe(true);
          expect(n.endSeconds).toBeGreaterThan(n.startSeconds);
          expect(n.endSeconds).toBeLessThanOrEqual(totalSeconds);
          if (i > 0) expect(n.startSeconds).toBeGreaterThanOrEqual(notes[i - 1].startSeconds);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const noteArbitrary = fc
  .record({
    pitch: fc.integer({ min: 0, max: 127 }),
    velocity: fc.integer({ min: 1, max: 127 }),
    startSeconds: fc.double({ min: 0, max: 30, noNaN: true }),
    duration: fc.double({ min: 0, max: 5, noNaN: true }),
  })
  .map(({ duration, ...rest }) => ({ ...rest, endSeconds: rest.startSeconds + duration }));

describe('performance round trip on random notes', () => {
  it('keeps every onset a 10 ms grid can hold: pitch, time within 5 ms, velocity bin; ids < 388', () => {
    fc.assert(
      fc.property(fc.array(noteArbitrary, { maxLength: 200 }), (notes) => {
        const ids = performanceTokenizer.encode({ notes, totalSeconds: 35 });
        expect(ids.every((id) => id < PERFORMANCE_VOCAB_SIZE)).toBe(true);
        const decoded = performanceTokenizer.decode(ids).notes;
        // One onset per (pitch, grid step) survives: the first one listed, as the encoder keeps.
        const expected = new Map<string, Note>();
        for (const n of notes) {
          const key = `${n.pitch}@${Math.round(n.startSeconds * 100)}`;
          if (!expected.has(key)) expected.set(key, n);
        }
        expect(decoded).toHaveLength(expected.size);
        for (const d of decoded) {
          const original = expected.get(`${d.pitch}@${Math.round(d.startSeconds * 100)}`);
          expect(original).toBeDefined();
          expect(Math.abs(d.startSeconds - original!.startSeconds)).toBeLessThanOrEqual(0.005 + 1e-9);
          expect(velocityBin(d.velocity)).toBe(velocityBin(original!.velocity));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is a fixed point after one pass: encode(decode(encode(x))) equals encode(x)', () => {
    fc.assert(
      fc.property(fc.array(noteArbitrary, { maxLength: 200 }), (notes) => {
        const ids = performanceTokenizer.encode({ notes, totalSeconds: 35 });
        expect([...performanceTokenizer.encode(performanceTokenizer.decode(ids))]).toEqual([...ids]);
      }),
      { numRuns: 300 },
    );
  });
});
