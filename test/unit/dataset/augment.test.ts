import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { augment, PIANO_HIGHEST_PITCH, PIANO_LOWEST_PITCH, stretchTime, transpose, transpositionRange } from '../../../src/dataset/augment.js';
import { performanceTokenizer } from '../../../src/tokens/index.js';

const pianoSequence = fc
  .array(
    fc.record({
      pitch: fc.integer({ min: PIANO_LOWEST_PITCH, max: PIANO_HIGHEST_PITCH }),
      velocity: fc.integer({ min: 1, max: 127 }),
      startSeconds: fc.integer({ min: 0, max: 3000 }).map((steps) => steps / 100),
      duration: fc.integer({ min: 1, max: 300 }).map((steps) => steps / 100),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((notes) => {
    const sorted = notes
      .map(({ duration, ...note }) => ({ ...note, endSeconds: note.startSeconds + duration }))
      .sort((a, b) => a.startSeconds - b.startSeconds || a.pitch - b.pitch);
    return performanceTokenizer.encode({ notes: sorted, totalSeconds: Math.max(...sorted.map((note) => note.endSeconds)) });
  });

const pitchesOf = (tokens: Uint16Array) => performanceTokenizer.decode(tokens).notes.map((note) => note.pitch);

describe('transpose', () => {
  it('keeps every pitch on the piano for any allowed shift, and shifting back restores the tokens', () => {
    fc.assert(
      fc.property(pianoSequence, fc.integer({ min: -12, max: 12 }), (tokens, wanted) => {
        const { down, up } = transpositionRange(tokens);
        const semitones = Math.min(up, Math.max(down, wanted));

        const moved = transpose(tokens, semitones);

        expect(pitchesOf(moved).every((pitch) => pitch >= PIANO_LOWEST_PITCH && pitch <= PIANO_HIGHEST_PITCH)).toBe(true);
        expect(pitchesOf(moved)).toEqual(pitchesOf(tokens).map((pitch) => pitch + semitones));
        expect(transpose(moved, -semitones)).toEqual(tokens);
      }),
    );
  });

  it('refuses a shift that would leave the piano', () => {
    const tokens = Uint16Array.of(100, 300, 228); // NOTE_ON 100, shift, NOTE_OFF 100

    expect(transpositionRange(tokens)).toEqual({ down: -79, up: 8 });
    expect(() => transpose(tokens, 9)).toThrow(RangeError);
  });
});

describe('stretchTime', () => {
  it('scales every onset time, and stretching back restores it within one 10 ms step', () => {
    fc.assert(
      fc.property(pianoSequence, fc.double({ min: 0.95, max: 1.05, noNaN: true }), (tokens, factor) => {
        const original = performanceTokenizer.decode(tokens).notes;

        const stretched = performanceTokenizer.decode(stretchTime(tokens, factor)).notes;
        const restored = performanceTokenizer.decode(stretchTime(stretchTime(tokens, factor), 1 / factor)).notes;

        expect(stretched.map((note) => note.pitch)).toEqual(original.map((note) => note.pitch));
        // Rounded to the grid, or pushed one step on so that events that were apart stay apart.
        stretched.forEach((note, i) => expect(Math.abs(note.startSeconds - original[i]!.startSeconds * factor)).toBeLessThanOrEqual(0.0101));
        restored.forEach((note, i) => expect(Math.abs(note.startSeconds - original[i]!.startSeconds)).toBeLessThanOrEqual(0.0101));
      }),
    );
  });
});

describe('augment', () => {
  it('is a pure function of the tokens, options, seed and key', () => {
    fc.assert(
      fc.property(pianoSequence, fc.integer(), (tokens, seed) => {
        const options = { transpose: 5, stretch: 0.05 };

        const once = augment(tokens, options, seed, 3, 4);

        expect(augment(tokens, options, seed, 3, 4)).toEqual(once);
        expect(pitchesOf(once).every((pitch) => pitch >= PIANO_LOWEST_PITCH && pitch <= PIANO_HIGHEST_PITCH)).toBe(true);
      }),
    );
  });

  it('returns the same tokens when turned off', () => {
    const tokens = Uint16Array.of(60, 300, 188);

    expect(augment(tokens, { transpose: 0, stretch: 0 }, 1)).toBe(tokens);
  });
});
