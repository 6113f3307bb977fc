import tonejs from '@tonejs/midi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Note, NoteSequence } from '../../../src/midi/note-sequence.js';
import { parseMidi } from '../../../src/midi/parse-midi.js';
import { writeMidi } from '../../../src/midi/write-midi.js';

const sequenceOf = (...notes: Note[]): NoteSequence => ({ notes, totalSeconds: Math.max(0, ...notes.map((note) => note.endSeconds)) });
const note = (pitch: number, velocity: number, startSeconds: number, endSeconds: number): Note => ({ pitch, velocity, startSeconds, endSeconds });

/** Notes equal up to `tolerance` seconds; both lists ordered by start, then pitch. */
function expectSameNotes(actual: Note[], expected: Note[], tolerance: number): void {
  expect(actual.map(({ pitch, velocity }) => [pitch, velocity])).toEqual(expected.map(({ pitch, velocity }) => [pitch, velocity]));
  actual.forEach((got, index) => {
    expect(Math.abs(got.startSeconds - expected[index].startSeconds)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(got.endSeconds - expected[index].endSeconds)).toBeLessThanOrEqual(tolerance);
  });
}

describe('writeMidi', () => {
  it('writes a format-1 piano file that @tonejs/midi opens', () => {
    const bytes = writeMidi(sequenceOf(note(60, 100, 0, 0.5), note(64, 80, 0.5, 1)), { name: 'two notes' });

    const midi = new tonejs.Midi(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('MThd');
    expect(bytes[9]).toBe(1); // format 1
    expect(midi.header.ppq).toBe(480);
    expect(midi.header.tempos.map((tempo) => tempo.bpm)).toEqual([120]);
    expect(midi.name).toBe('two notes');
    expect(midi.tracks).toHaveLength(1);
    expect(midi.tracks[0].instrument.number).toBe(0); // acoustic grand piano
    expect(midi.tracks[0].notes.map((n) => [n.midi, Math.round(n.velocity * 127), n.time, n.duration])).toEqual([
      [60, 100, 0, 0.5],
      [64, 80, 0.5, 0.5],
    ]);
  });

  it('keeps times in seconds whatever tempo and resolution it writes', () => {
    const sequence = sequenceOf(note(60, 64, 0.1234, 0.9876), note(72, 127, 1.5, 3.25));

    const bytes = writeMidi(sequence, { tempoBpm: 93, ppq: 96 });

    expect((bytes[12] << 8) | bytes[13]).toBe(96);
    expectSameNotes(parseMidi(bytes).notes, sequence.notes, 60 / 93 / 96 / 2);
  });

  it('cuts a note where the same pitch is struck again, and drops what is left without duration', () => {
    const bytes = writeMidi(sequenceOf(note(60, 90, 0, 2), note(60, 70, 1, 1.5), note(62, 50, 1, 1.0001)));

    expectSameNotes(parseMidi(bytes).notes, [note(60, 90, 0, 1), note(60, 70, 1, 1.5)], 1e-9);
  });

  it('rounds and clamps velocities into 1..127', () => {
    const bytes = writeMidi(sequenceOf(note(60, 0, 0, 1), note(61, 63.6, 0, 1), note(62, 200, 0, 1)));

    expect(parseMidi(bytes).notes.map((n) => n.velocity)).toEqual([1, 64, 127]);
  });

  it.each([
    [{ tempoBpm: 0 }],
    [{ ppq: 0 }],
    [{ ppq: 1.5 }],
    [{ ppq: 40_000 }],
  ])('refuses options %j', (options) => {
    expect(() => writeMidi(sequenceOf(note(60, 90, 0, 1)), options)).toThrow(RangeError);
  });

  it('round-trips random note sequences through parseMidi (property)', () => {
    const noteArbitrary = fc.record({
      pitch: fc.integer({ min: 0, max: 127 }),
      velocity: fc.integer({ min: 1, max: 127 }),
      startSeconds: fc.double({ min: 0, max: 120, noNaN: true }),
      durationSeconds: fc.double({ min: 0.01, max: 8, noNaN: true }),
    });
    // At least 240 ticks per second, so the shortest note (10 ms) spans two ticks or more.
    const optionsArbitrary = fc.record({ tempoBpm: fc.integer({ min: 60, max: 300 }), ppq: fc.integer({ min: 240, max: 960 }) });

    fc.assert(
      fc.property(fc.array(noteArbitrary, { minLength: 1, maxLength: 200 }), optionsArbitrary, (drawn, options) => {
        // Same-pitch notes may not overlap: keep a note only if its pitch is silent by then.
        const silentFrom = new Map<number, number>();
        const notes = drawn
          .sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch)
          .filter(({ pitch, startSeconds, durationSeconds }) => {
            if (startSeconds < (silentFrom.get(pitch) ?? 0)) return false;
            silentFrom.set(pitch, startSeconds + durationSeconds);
            return true;
          })
          .map(({ pitch, velocity, startSeconds, durationSeconds }) => note(pitch, velocity, startSeconds, startSeconds + durationSeconds));
        const tickSeconds = 60 / options.tempoBpm / options.ppq;
        const onTicks = (notes: Note[]): Note[] =>
          [...notes].sort((a, b) => Math.round(a.startSeconds / tickSeconds) - Math.round(b.startSeconds / tickSeconds) || a.pitch - b.pitch);

        const reread = parseMidi(writeMidi(sequenceOf(...notes), options));

        expectSameNotes(reread.notes, onTicks(notes), tickSeconds);
      }),
      { numRuns: 150 },
    );
  });
});
