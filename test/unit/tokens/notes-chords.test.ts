import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Note, NoteSequence } from '../../../src/midi/note-sequence.js';
import { getTokenizer } from '../../../src/tokens/index.js';
import {
  NotesChordsVocabulary,
  buildNotesChordsVocabulary,
  extendVocabulary,
} from '../../../src/tokens/notes-chords-vocabulary.js';
import { notesChordsTokenizer } from '../../../src/tokens/notes-chords.js';
import { VocabularyError } from '../../../src/tokens/vocabulary-error.js';

function note(pitch: number, startSeconds: number, endSeconds = startSeconds + 0.5, velocity = 90): Note {
  return { pitch, velocity, startSeconds, endSeconds };
}

function sequence(...notes: Note[]): NoteSequence {
  return { notes, totalSeconds: Math.max(0, ...notes.map((n) => n.endSeconds)) };
}

/** C major chord, rest, E, rest, the chord again, then rests until it ends at 1.01 s: 8 steps of 1/8 s. */
const piece = sequence(note(64, 0.01), note(60, 0), note(67, 0.04), note(64, 0.25), note(67, 0.5), note(60, 0.49), note(64, 0.51));

describe('buildNotesChordsVocabulary', () => {
  it('makes one symbol per step on a 1/8 s grid, ordered by frequency, rest first', () => {
    const vocabulary = buildNotesChordsVocabulary([piece]);
    expect(vocabulary.toJSON()).toEqual({
      kind: 'notes-chords',
      version: 1,
      stepSeconds: 0.125,
      velocity: 64,
      maxSymbols: 65_536,
      symbols: ['rest', '60.64.67', '64'],
    });
  });

  it('leaves out symbols rarer than minCount and stops at maxSymbols', () => {
    const vocabulary = buildNotesChordsVocabulary([piece, sequence(note(70, 0), note(72, 1))], { minCount: 2 });
    expect(vocabulary.toJSON().symbols).toEqual(['rest', '60.64.67']);
    const small = buildNotesChordsVocabulary([piece, sequence(note(64, 0), note(72, 1))], { maxSymbols: 2 });
    expect(small.toJSON().symbols).toEqual(['rest', '60.64.67']);
  });

  it.each([{ stepSeconds: 0 }, { velocity: 0 }, { maxSymbols: 70_000 }])('rejects bad options %o', (options) => {
    expect(() => buildNotesChordsVocabulary([], options)).toThrow(VocabularyError);
  });
});

describe('extendVocabulary', () => {
  it('appends new symbols in order of appearance and keeps existing ids', () => {
    const vocabulary = buildNotesChordsVocabulary([piece]);
    const before = vocabulary.toJSON().symbols;
    const added = extendVocabulary(vocabulary, sequence(note(72, 0), note(64, 0.125), note(48, 0.25), note(55, 0.25)));
    expect(added).toBe(2);
    expect(vocabulary.toJSON().symbols).toEqual([...before, '72', '48.55']);
  });

  it('stops when the vocabulary is full', () => {
    const vocabulary = new NotesChordsVocabulary({ maxSymbols: 3 });
    expect(extendVocabulary(vocabulary, sequence(note(60, 0), note(61, 0.125), note(62, 0.25)))).toBe(2);
    expect(vocabulary.isFull).toBe(true);
    expect(vocabulary.toJSON().symbols).toEqual(['rest', '60', '61']);
  });
});

describe('NotesChordsVocabulary JSON', () => {
  it('survives a JSON round trip, from text or object', () => {
    const vocabulary = buildNotesChordsVocabulary([piece], { stepSeconds: 0.25, velocity: 100 });
    const text = JSON.stringify(vocabulary);
    expect(NotesChordsVocabulary.fromJSON(text).toJSON()).toEqual(vocabulary.toJSON());
    expect(NotesChordsVocabulary.fromJSON(JSON.parse(text)).toJSON()).toEqual(vocabulary.toJSON());
  });

  const valid = { kind: 'notes-chords', version: 1, stepSeconds: 0.125, velocity: 64, maxSymbols: 10 };
  it.each<[string, unknown, RegExp]>([
    ['text that is not JSON', '{nope', /not JSON/],
    ['another kind', { ...valid, kind: 'performance', symbols: ['rest'] }, /not a notes-chords vocabulary/],
    ['no rest first', { ...valid, symbols: ['60', 'rest'] }, /symbol 0 must be 'rest'/],
    ['a bad symbol', { ...valid, symbols: ['rest', '60.x'] }, /symbol 1 '60.x' is not a note or chord/],
    ['unsorted pitches', { ...valid, symbols: ['rest', '64.60'] }, /is not a note or chord/],
    ['a pitch over 127', { ...valid, symbols: ['rest', '128'] }, /is not a note or chord/],
    ['a duplicate', { ...valid, symbols: ['rest', '60', '60'] }, /appears twice/],
    ['too many symbols', { ...valid, maxSymbols: 2, symbols: ['rest', '60', '61'] }, /exceed maxSymbols 2/],
  ])('rejects %s', (_, json, message) => {
    expect(() => NotesChordsVocabulary.fromJSON(json)).toThrow(VocabularyError);
    expect(() => NotesChordsVocabulary.fromJSON(json)).toThrow(message);
  });
});

describe('notesChordsTokenizer', () => {
  const vocabulary = buildNotesChordsVocabulary([piece]);
  const tokenizer = notesChordsTokenizer(vocabulary);
  const pieceIds = [1, 0, 2, 0, 1, 0, 0, 0];

  it('encodes one id per step to the end of the piece, rests in between', () => {
    expect([...tokenizer.encode(piece)]).toEqual(pieceIds);
    expect(tokenizer.name).toBe('notes-chords');
    expect(tokenizer.vocabSize).toBe(3);
    expect(tokenizer.secondsOf(1)).toBe(0.125);
  });

  it('decodes with fixed velocity and step-long notes; unknown ids are rests', () => {
    expect(tokenizer.decode([2, 99, -1, 1])).toEqual({
      notes: [
        note(64, 0, 0.125, 64),
        note(60, 0.375, 0.5, 64),
        note(64, 0.375, 0.5, 64),
        note(67, 0.375, 0.5, 64),
      ],
      totalSeconds: 0.5,
    });
  });

  it.each<[string, number[], string]>([
    ['a chord with an extra pitch keeps the known sub-chord', [60, 64, 67, 72], '60.64.67'],
    ['a chord with a known pitch falls back to it', [64, 71], '64'],
    ['an unknown note becomes a rest', [30], 'rest'],
  ])('encodes an unknown symbol to the nearest known: %s', (_, pitches, expected) => {
    const [id] = tokenizer.encode(sequence(...pitches.map((pitch) => note(pitch, 0))));
    expect(vocabulary.symbolOf(id)).toBe(expected);
  });

  it('refuses a note with an impossible pitch, naming it', () => {
    expect(() => tokenizer.encode(sequence(note(60, 0), note(-1, 0.5)))).toThrow(/note 1: pitch -1/);
  });

  it('is served by getTokenizer, which needs the vocabulary', () => {
    expect([...getTokenizer('notes-chords', vocabulary).encode(piece)]).toEqual(pieceIds);
    expect(() => getTokenizer('notes-chords')).toThrow(VocabularyError);
    expect(getTokenizer('performance').name).toBe('performance');
  });
});

describe('notes-chords on random notes', () => {
  const notes = fc.array(
    fc.record({
      pitch: fc.integer({ min: 0, max: 127 }),
      velocity: fc.integer({ min: 1, max: 127 }),
      startSeconds: fc.double({ min: 0, max: 20, noNaN: true }),
      endSeconds: fc.constant(25),
    }),
    { maxLength: 150 },
  );

  it('is stable after one pass: decode(encode(decode(encode(x)))) equals decode(encode(x))', () => {
    fc.assert(
      fc.property(notes, fc.integer({ min: 1, max: 40 }), (input, maxSymbols) => {
        const x = { notes: input, totalSeconds: 25 };
        // A small vocabulary forces the nearest-known path too.
        const tokenizer = notesChordsTokenizer(buildNotesChordsVocabulary([x], { maxSymbols }));
        const once = tokenizer.decode(tokenizer.encode(x));
        expect(tokenizer.decode(tokenizer.encode(once))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every onset when the vocabulary holds every symbol', () => {
    fc.assert(
      fc.property(notes, (input) => {
        const x = { notes: input, totalSeconds: 25 };
        const tokenizer = notesChordsTokenizer(buildNotesChordsVocabulary([x]));
        const decoded = tokenizer.decode(tokenizer.encode(x)).notes.map((n) => `${n.pitch}@${n.startSeconds / 0.125}`);
        const expected = new Set(input.map((n) => `${n.pitch}@${Math.round(n.startSeconds / 0.125)}`));
        expect(new Set(decoded)).toEqual(expected);
        expect(decoded).toHaveLength(expected.size);
      }),
      { numRuns: 200 },
    );
  });
});
